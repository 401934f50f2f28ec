using System.Globalization;
using Conman.Engine.Containers;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// Which host ids the -UserNs auto containers of every store on this host hold: one file per
/// container under /run/conman/idranges, naming its record and its uid and gid ranges, as
/// <see cref="Networks.SubnetClaims"/> holds subnets. Two containers with one range could reach
/// each other's files and processes as the same host user, so no two get the same ids, whatever
/// store they are in. A claim whose record is gone is stale and is taken over; after a reboot the
/// folder is empty, and each container claims its ranges again at its next start.
/// </summary>
internal static class IdRangeClaims
{
    public static string Folder => "/run/conman/idranges";
    private static string LockPath => Path.Combine(Folder, "claims.lock");

    private sealed record Claim(string Owner, IdRange Uids, IdRange Gids);

    /// <summary>Held while ranges are chosen and claimed.</summary>
    public static FileLock Lock()
    {
        StoreFolders.Create("/run/conman", FileModes.OwnerOnlyFolder);
        StoreFolders.Create(Folder, FileModes.OwnerOnlyFolder);
        return FileLock.Acquire(LockPath, create: true);
    }

    /// <summary>
    /// Chooses free uid and gid ranges of <paramref name="size"/> ids for the container whose record
    /// will be <paramref name="ownerRecord"/>, and claims them. Under <see cref="Lock"/>, held until
    /// the record is written: until then the claim looks stale to others.
    /// </summary>
    public static (IdMapping Uid, IdMapping Gid) Allocate(uint size, string ownerRecord)
    {
        var pool = SubordinateIds.Current();
        var others = Others(ownerRecord);
        var uids = SubordinateIds.FirstFree(pool.Uids, [.. pool.OtherUids, .. others.Select(c => c.Uids)], size);
        var gids = SubordinateIds.FirstFree(pool.Gids, [.. pool.OtherGids, .. others.Select(c => c.Gids)], size);
        if (uids is not { } uidRange || gids is not { } gidRange) throw ConmanErrors.IdRangesExhausted(size, pool.Source);
        Write(new Claim(ownerRecord, uidRange, gidRange));
        return (new IdMapping { ContainerId = 0, HostId = uidRange.Start, Size = size }, new IdMapping { ContainerId = 0, HostId = gidRange.Start, Size = size });
    }

    /// <summary>Claims a container's ranges again at its start (after a reboot emptied the folder), unless another container took them meanwhile.</summary>
    public static void Renew(ContainerDefinition definition, string ownerRecord, string containerName)
    {
        if (!definition.UserNamespaceAuto || definition.UidMappings.Count != 1 || definition.GidMappings.Count != 1) return;
        var claim = new Claim(ownerRecord, Range(definition.UidMappings[0]), Range(definition.GidMappings[0]));
        using var _ = Lock();
        foreach (var other in Others(ownerRecord))
        {
            if (other.Uids.Overlaps(claim.Uids) || other.Gids.Overlaps(claim.Gids))
            {
                throw ConmanErrors.IdRangeTaken(containerName, $"{claim.Uids} (uids) and {claim.Gids} (gids)", other.Owner);
            }
        }
        Write(claim);
    }

    /// <summary>Gives a removed container's ranges back, if its record still holds them.</summary>
    public static void Release(ContainerDefinition? definition, string ownerRecord)
    {
        if (definition is not { UserNamespaceAuto: true, UidMappings.Count: 1 }) return;
        using var _ = Lock();
        string path = ClaimPath(definition.UidMappings[0].HostId);
        if (Read(path) is { } claim && claim.Owner == ownerRecord) File.Delete(path);
    }

    /// <summary>The live claims other than <paramref name="ownRecord"/>'s; stale ones are deleted. Under <see cref="Lock"/>.</summary>
    private static List<Claim> Others(string ownRecord)
    {
        var claims = new List<Claim>();
        foreach (string file in Directory.EnumerateFiles(Folder, "*.claim"))
        {
            if (Read(file) is not { } claim || !File.Exists(claim.Owner))
            {
                File.Delete(file); // its container (or its store) is gone, or the claim is not one
                continue;
            }
            if (claim.Owner != ownRecord) claims.Add(claim);
        }
        return claims;
    }

    private static void Write(Claim claim) =>
        AtomicFile.Write(ClaimPath(claim.Uids.Start),
            System.Text.Encoding.UTF8.GetBytes($"{claim.Owner}\n{claim.Uids.Start} {claim.Uids.Size}\n{claim.Gids.Start} {claim.Gids.Size}\n"));

    /// <summary>A claim file: its owner's record, then "start size" for uids and for gids; null when it is not one.</summary>
    private static Claim? Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        if (lines.Length < 3 || ParseRange(lines[1]) is not { } uids || ParseRange(lines[2]) is not { } gids) return null;
        return new Claim(lines[0], uids, gids);
    }

    private static IdRange? ParseRange(string line)
    {
        string[] fields = line.Split(' ');
        return fields.Length == 2 && uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint start)
            && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint size) && size > 0
            ? new IdRange(start, size) : null;
    }

    private static IdRange Range(IdMapping mapping) => new(mapping.HostId, mapping.Size);

    private static string ClaimPath(uint uidStart) => Path.Combine(Folder, uidStart.ToString(CultureInfo.InvariantCulture) + ".claim");
}
