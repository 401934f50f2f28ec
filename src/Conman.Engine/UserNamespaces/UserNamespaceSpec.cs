using System.Globalization;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// What -UserNs, -UidMap and -GidMap say, as podman's --userns, --uidmap and --gidmap: "host"
/// (the default: the container's root is the host's), "auto" or "auto:size=N" (a free range of
/// the host's subordinate ids, chosen at create), or maps written "container:host:size". Pure:
/// the choice of an auto range is <see cref="IdRangeClaims"/>'.
/// </summary>
internal static class UserNamespaceSpec
{
    /// <summary>podman's default size for --userns=auto (containers.conf's userns_size): every id a distribution uses.</summary>
    public const uint DefaultAutoSize = 65536;

    /// <summary>An id is 32 bits and (uid_t)-1 means "no id", so a range ends at or before it.</summary>
    private const ulong IdLimit = uint.MaxValue;

    /// <summary>The size of the range -UserNs asks for; null for the host's namespace ("host", or nothing).</summary>
    public static uint? AutoSize(string? mode)
    {
        if (string.IsNullOrEmpty(mode) || mode.Equals("host", StringComparison.OrdinalIgnoreCase)) return null;
        if (mode.Equals("auto", StringComparison.OrdinalIgnoreCase)) return DefaultAutoSize;
        const string sized = "auto:size=";
        if (mode.StartsWith(sized, StringComparison.OrdinalIgnoreCase))
        {
            if (uint.TryParse(mode.AsSpan(sized.Length), NumberStyles.None, CultureInfo.InvariantCulture, out uint size) && size is > 0 and <= int.MaxValue)
            {
                return size;
            }
            throw ConmanErrors.InvalidUserNamespace(mode, "the size must be a whole number of ids from 1 to 2147483647");
        }
        throw ConmanErrors.InvalidUserNamespace(mode, "use 'host', 'auto' or 'auto:size=N' (or uid and gid maps of its own)");
    }

    /// <summary>One range, "container:host:size" as podman's --uidmap writes it.</summary>
    public static IdMapping ParseMapping(string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length != 3 || !parts.All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw ConmanErrors.InvalidUserNamespace(text, "write a map as container-id:host-id:size, three whole numbers");
        }
        var mapping = new IdMapping
        {
            ContainerId = uint.Parse(parts[0], CultureInfo.InvariantCulture),
            HostId = uint.Parse(parts[1], CultureInfo.InvariantCulture),
            Size = uint.Parse(parts[2], CultureInfo.InvariantCulture),
        };
        if (mapping.Size == 0) throw ConmanErrors.InvalidUserNamespace(text, "a range maps at least one id");
        if ((ulong)mapping.ContainerId + mapping.Size > IdLimit || (ulong)mapping.HostId + mapping.Size > IdLimit)
        {
            throw ConmanErrors.InvalidUserNamespace(text, "the range runs past the last id, 4294967294");
        }
        return mapping;
    }

    /// <summary>
    /// A whole map, as the kernel takes it: no two ranges overlap on either side, and the
    /// container's root (id 0) is mapped, for runc runs the container's first process as it.
    /// </summary>
    /// <param name="which">"uid" or "gid", for the message.</param>
    public static void Validate(IReadOnlyList<IdMapping> map, string which)
    {
        string text = Format(map);
        // The kernel takes at most 340 lines in a uid_map; a few are all anyone writes.
        if (map.Count > 340) throw ConmanErrors.InvalidUserNamespace(text, $"a {which} map has at most 340 ranges");
        for (int i = 0; i < map.Count; i++)
        {
            for (int j = i + 1; j < map.Count; j++)
            {
                if (Overlap(map[i].ContainerId, map[i].Size, map[j].ContainerId, map[j].Size)
                    || Overlap(map[i].HostId, map[i].Size, map[j].HostId, map[j].Size))
                {
                    throw ConmanErrors.InvalidUserNamespace(text, $"two ranges of the {which} map overlap");
                }
            }
        }
        if (HostId(map, 0) is null) throw ConmanErrors.InvalidUserNamespace(text, $"the {which} map must map the container's root, id 0");
    }

    /// <summary>The host id that container id <paramref name="containerId"/> is; null when the map leaves it out.</summary>
    public static uint? HostId(IEnumerable<IdMapping> map, uint containerId)
    {
        foreach (var range in map)
        {
            if (containerId >= range.ContainerId && containerId - range.ContainerId < range.Size) return range.HostId + (containerId - range.ContainerId);
        }
        return null;
    }

    /// <summary>
    /// The host ids of the container's root, who owns its "/", its new volumes and its /etc files.
    /// Every map Conman writes maps 0 (<see cref="Validate"/>); without maps, the host's root.
    /// </summary>
    public static (uint Uid, uint Gid) HostRoot(IEnumerable<IdMapping> uids, IEnumerable<IdMapping> gids) =>
        (HostId(uids, 0) ?? 0, HostId(gids, 0) ?? 0);

    /// <summary>The maps as podman prints them: "0:100000:65536", ranges joined by ','.</summary>
    public static string Format(IEnumerable<IdMapping> map) => string.Join(',', map.Select(m => $"{m.ContainerId}:{m.HostId}:{m.Size}"));

    /// <summary>The map as /proc/&lt;pid&gt;/uid_map takes it, in one write: "container host size" lines.</summary>
    public static string ProcMapText(IEnumerable<IdMapping> map) => string.Concat(map.Select(m => $"{m.ContainerId} {m.HostId} {m.Size}\n"));

    public static bool Overlap(ulong start, ulong size, ulong otherStart, ulong otherSize) =>
        start < otherStart + otherSize && otherStart < start + size;
}
