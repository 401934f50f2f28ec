using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// What a start learns while it sets up the container's networks, shared by the resources that
/// set them up in turn (<see cref="NetworkResources"/>): the addresses each network gave and the
/// host ports chosen, for the hosts files, the members' records and network.pb.
/// </summary>
internal sealed class ContainerNetworking(string containerId, string name, string hostname, string namespacePath)
{
    public string ContainerId { get; } = containerId;
    public string Name { get; } = name;
    public string Hostname { get; } = hostname;
    public string NamespacePath { get; } = namespacePath;
    public List<NetworkAttachment> Attachments { get; } = [];
    public List<PortPublish> Ports { get; } = [];
    /// <summary>Its /etc/hosts lines of docker --add-host, "host-gateway" as asked (resolved where the file is written).</summary>
    public List<ExtraHost> ExtraHosts { get; } = [];

    /// <summary>The container's names on a network: its name, its hostname, its short id, and the aliases it asked for there.</summary>
    public IReadOnlyList<string> NamesOn(NetworkAttachment attachment) =>
        new[] { Hostname, Name, ContainerId[..12] }.Concat(attachment.Aliases).Distinct(StringComparer.Ordinal).ToList();
}
