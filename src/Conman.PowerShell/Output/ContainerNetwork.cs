using Conman.Engine.Networks;

namespace Conman;

/// <summary>A network of the store, as the network cmdlets return it.</summary>
public sealed class ContainerNetwork
{
    internal ContainerNetwork(NetworkSnapshot snapshot)
    {
        Id = snapshot.Id;
        Name = snapshot.Name;
        Driver = snapshot.Driver;
        Bridge = snapshot.Bridge;
        Subnet = snapshot.Subnet;
        Gateway = snapshot.Gateway;
        Internal = snapshot.Internal;
        NamesResolve = snapshot.NamesResolve;
        Labels = snapshot.Labels;
        CreatedAt = snapshot.CreatedAt.LocalDateTime;
        Containers = snapshot.Containers.ToArray();
    }

    public string Id { get; }
    public string ShortId => Id[..12];
    public string Name { get; }
    public string Driver { get; }
    /// <summary>The host's bridge device.</summary>
    public string Bridge { get; }
    public string Subnet { get; }
    public string Gateway { get; }
    /// <summary>No route out: containers reach each other and the gateway only.</summary>
    public bool Internal { get; }
    /// <summary>Containers on it find each other by name and alias (networks made with New-ContainerNetwork).</summary>
    public bool NamesResolve { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public DateTime CreatedAt { get; }
    /// <summary>The containers (by name) that join it when they start.</summary>
    public string[] Containers { get; }

    public override string ToString() => Name;
}
