using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// How a container's owners are the host's: the identity for a container on the host's user
/// namespace, its maps otherwise. Its files are owned by host ids on disk (its upper layer, its
/// volumes), so what goes out of it (a commit's layer, Copy-ContainerItem from it) is shown in the
/// container's ids, and what comes in takes host ids, as docker cp does under userns-remap.
/// </summary>
internal sealed class OwnerMap(IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids)
{
    public static readonly OwnerMap Host = new([], []);

    public static OwnerMap Of(ContainerDefinition? definition) =>
        definition?.Security is { UidMappings.Count: > 0 } d ? new OwnerMap(d.UidMappings, d.GidMappings) : Host;

    /// <summary>
    /// A container owner as the host's. An id the maps leave out (a host file of uid 70000 copied
    /// into a 65536-id namespace) becomes the container's root, as docker cp gives copies to root.
    /// </summary>
    public (uint Uid, uint Gid) ToHost(uint uid, uint gid)
    {
        if (uids.Count == 0) return (uid, gid);
        uint hostUid = UserNamespaceSpec.HostId(uids, uid) ?? UserNamespaceSpec.HostId(uids, 0) ?? uid;
        uint hostGid = UserNamespaceSpec.HostId(gids, gid) ?? UserNamespaceSpec.HostId(gids, 0) ?? gid;
        return (hostUid, hostGid);
    }

    /// <summary>A host owner as the container's. One outside the maps (a whiteout the kernel made as root) is left as it is.</summary>
    public (uint Uid, uint Gid) ToContainer(uint uid, uint gid) =>
        uids.Count == 0 ? (uid, gid) : (ContainerId(uids, uid) ?? uid, ContainerId(gids, gid) ?? gid);

    private static uint? ContainerId(IReadOnlyList<IdMapping> map, uint hostId)
    {
        foreach (var range in map)
        {
            if (hostId >= range.HostId && hostId - range.HostId < range.Size) return range.ContainerId + (hostId - range.HostId);
        }
        return null;
    }
}
