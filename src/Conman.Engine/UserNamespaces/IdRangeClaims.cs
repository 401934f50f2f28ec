using System.Globalization;
using Conman.Engine.Containers;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// Which host ids the user-namespaced containers of every store on this host hold: one file per
/// container under /var/lib/conman/idranges, naming its record and its uid and gid ranges. Two
/// containers with one range could reach each other's files and processes as the same host user,
/// so -UserNs auto gives out no id that any claim holds, whatever store it is in, and a container
/// with explicit maps claims them too, so that auto leaves them alone. Kept on disk, as the
/// containers are: a stopped container's ids stay its own across a reboot. A claim whose record is
/// gone (its container removed by its shim, or its store deleted) is stale and is taken over.
/// </summary>
internal static class IdRangeClaims
{
    public static string Folder => Path.Combine(StoreLayout.DefaultRoot, "idranges");
    private static string LockPath => Path.Combine(Folder, "claims.lock");

    private sealed record Claim(string Owner, IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids);

    /// <summary>Held while ranges are chosen and claimed.</summary>
    public static FileLock Lock()
    {
        // The default store's root first, root's alone as its own first use would make it.
        StoreFolders.Create(StoreLayout.DefaultRoot, FileModes.OwnerOnlyFolder);
        StoreFolders.Create(Folder, FileModes.OwnerOnlyFolder);
        return FileLock.Acquire(LockPath, create: true);
    }

    /// <summary>
    /// Chooses free uid and gid ranges of <paramref name="size"/> ids for the container whose record
    /// will be <paramref name="ownerRecord"/>, and claims them. Under <see cref="Lock"/>, held until
    /// the record is written: until then the claim looks stale to others.
    /// </summary>
    public static (IdMapping Uid, IdMapping Gid) Allocate(uint size, string containerId, string ownerRecord)
    {
        var pool = SubordinateIds.Current();
        var others = Others(ownerRecord);
        var uids = SubordinateIds.FirstFree(pool.Uids, [.. pool.OtherUids, .. others.SelectMany(c => c.Uids)], size);
        var gids = SubordinateIds.FirstFree(pool.Gids, [.. pool.OtherGids, .. others.SelectMany(c => c.Gids)], size);
        if (uids is not { } uidRange || gids is not { } gidRange) throw ConmanErrors.IdRangesExhausted(size, pool.Source);
        Write(containerId, new Claim(ownerRecord, [uidRange], [gidRange]));
        return (new IdMapping { ContainerId = 0, HostId = uidRange.Start, Size = size }, new IdMapping { ContainerId = 0, HostId = gidRange.Start, Size = size });
    }

    /// <summary>Claims a container's explicit maps (-UidMap/-GidMap), which are the user's to choose: nothing is checked. Under <see cref="Lock"/>.</summary>
    public static void ClaimExplicit(ContainerDefinition definition, string containerId, string ownerRecord) =>
        Write(containerId, ClaimOf(definition, ownerRecord));

    /// <summary>
    /// Claims a container's ranges again at its start, should its claim have gone (a copied store,
    /// a deleted file); an auto container is refused when another container took its ids meanwhile.
    /// </summary>
    public static void Renew(ContainerDefinition definition, string containerId, string ownerRecord, string containerName)
    {
        if (definition.UidMappings.Count == 0) return;
        var claim = ClaimOf(definition, ownerRecord);
        using var _ = Lock();
        if (definition.UserNamespaceAuto)
        {
            foreach (var other in Others(ownerRecord))
            {
                if (Overlap(other.Uids, claim.Uids) || Overlap(other.Gids, claim.Gids))
                {
                    throw ConmanErrors.IdRangeTaken(containerName, $"{string.Join(',', claim.Uids)} (uids) and {string.Join(',', claim.Gids)} (gids)", other.Owner);
                }
            }
        }
        Write(containerId, claim);
    }

    /// <summary>Takes back the claim of a create that failed before its record was written. Under <see cref="Lock"/>.</summary>
    public static void Withdraw(string containerId) => File.Delete(ClaimPath(containerId));

    /// <summary>Gives a removed container's ranges back, if its record still holds them.</summary>
    public static void Release(string containerId, string ownerRecord)
    {
        string path = ClaimPath(containerId);
        if (!File.Exists(path)) return;
        using var _ = Lock();
        if (Read(path) is not { } claim || claim.Owner == ownerRecord) File.Delete(path);
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

    private static bool Overlap(IReadOnlyList<IdRange> ranges, IReadOnlyList<IdRange> others) => ranges.Any(r => others.Any(r.Overlaps));

    private static Claim ClaimOf(ContainerDefinition definition, string ownerRecord) =>
        new(ownerRecord, [.. definition.UidMappings.Select(Range)], [.. definition.GidMappings.Select(Range)]);

    /// <summary>Its owner's record, then a line "u start size" per uid range and "g start size" per gid range.</summary>
    private static void Write(string containerId, Claim claim)
    {
        var text = new System.Text.StringBuilder(claim.Owner).Append('\n');
        foreach (var range in claim.Uids) text.Append(CultureInfo.InvariantCulture, $"u {range.Start} {range.Size}\n");
        foreach (var range in claim.Gids) text.Append(CultureInfo.InvariantCulture, $"g {range.Start} {range.Size}\n");
        AtomicFile.Write(ClaimPath(containerId), System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A claim file; null when it is not one.</summary>
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
        if (lines.Length < 3) return null;
        List<IdRange> uids = [], gids = [];
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(' ');
            if (fields.Length != 3 || fields[0] is not ("u" or "g")
                || !uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint start)
                || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint size) || size == 0)
            {
                return null;
            }
            (fields[0] == "u" ? uids : gids).Add(new IdRange(start, size));
        }
        return uids.Count > 0 && gids.Count > 0 ? new Claim(lines[0], uids, gids) : null;
    }

    private static IdRange Range(IdMapping mapping) => new(mapping.HostId, mapping.Size);

    public static string ClaimPath(string containerId) => Path.Combine(Folder, containerId + ".claim");
}
