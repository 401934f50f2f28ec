using Conman.Engine.Volumes;

namespace Conman;

/// <summary>A volume of the store, as the volume cmdlets return it.</summary>
public sealed class ContainerVolume
{
    internal ContainerVolume(VolumeSnapshot snapshot)
    {
        Name = snapshot.Name;
        Anonymous = snapshot.Anonymous;
        CreatedAt = snapshot.CreatedAt.LocalDateTime;
        Labels = snapshot.Labels;
        Mountpoint = snapshot.Mountpoint;
        Containers = snapshot.Containers.ToArray();
    }

    public string Name { get; }
    /// <summary>Made for one container (-Volume /path, an image's VOLUME) rather than by name.</summary>
    public bool Anonymous { get; }
    public string Driver => "local";
    public DateTime CreatedAt { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    /// <summary>The host folder that holds the volume's files.</summary>
    public string Mountpoint { get; }
    /// <summary>The containers (by name) that mount it, running or not.</summary>
    public string[] Containers { get; }

    public override string ToString() => Name;
}
