using Conman.Protocol;

namespace Conman.Engine.Volumes;

/// <summary>A volume of the store as the cmdlets see it: its record, where its data is, and the containers that mount it.</summary>
/// <param name="Mountpoint">The host folder containers mount (docker volume inspect's Mountpoint).</param>
/// <param name="Containers">The containers (by name) whose definition mounts it, running or not.</param>
public sealed record VolumeSnapshot(string Name, bool Anonymous, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Labels,
    string Mountpoint, IReadOnlyList<string> Containers)
{
    internal static VolumeSnapshot From(VolumeRecord record, string mountpoint, IReadOnlyList<string> containers) =>
        new(record.Name, record.Anonymous, record.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue,
            new Dictionary<string, string>(record.Labels), mountpoint, containers);
}
