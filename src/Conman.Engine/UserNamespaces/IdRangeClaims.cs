using System.Globalization;
using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// Which host ids the user-namespaced containers of every store on this host hold: one file per
/// container under /var/lib/conman/idranges, naming its record and its uid and gid ranges. Two
/// containers with one range could reach each other's files and processes as the same host user,
/// so -UserNs auto gives out no id that any claim holds, whatever store it is in, and a container
/// with explicit maps claims them too, so that auto leaves them alone. Kept on disk, as the
/// containers are: a stopped container's ids stay its own across a reboot. A claim whose record is
/// gone (its container removed by its shim, or its store deleted) is stale and is taken over
/// (<see cref="ClaimFolder"/>, as subnets are claimed).
/// </summary>
internal static class IdRangeClaims
{
    private static readonly ClaimFolder Claims = new(Path.Combine(StoreLayout.DefaultRoot, "idranges"));

    internal sealed record Claim(IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids);

    /// <summary>Held while ranges are chosen and claimed; makes the default store's root root's alone (0700) when it is the first thing there.</summary>
    public static FileLock Lock() => Claims.Lock();

    /// <summary>
    /// Chooses free uid and gid ranges of <paramref name="size"/> ids for the container whose record
    /// will be <paramref name="ownerRecord"/>, and claims them. Under <see cref="Lock"/>, held until
    /// the record is written: until then the claim looks stale to others.
    /// </summary>
    public static (IdMapping Uid, IdMapping Gid) Allocate(uint size, string containerId, string ownerRecord)
    {
        var pool = SubordinateIds.Current();
        var others = Others(ownerRecord);
        var uids = SubordinateIds.FirstFree(pool.Uids, [.. pool.OtherUids, .. others.SelectMany(c => c.Claim.Uids)], size);
        var gids = SubordinateIds.FirstFree(pool.Gids, [.. pool.OtherGids, .. others.SelectMany(c => c.Claim.Gids)], size);
        if (uids is not { } uidRange || gids is not { } gidRange) throw ConmanErrors.IdRangesExhausted(size, pool.Source);
        Write(containerId, ownerRecord, new Claim([uidRange], [gidRange]));
        return (new IdMapping { ContainerId = 0, HostId = uidRange.Start, Size = size }, new IdMapping { ContainerId = 0, HostId = gidRange.Start, Size = size });
    }

    /// <summary>Claims a container's explicit maps (-UidMap/-GidMap), which are the user's to choose: nothing is checked. Under <see cref="Lock"/>.</summary>
    public static void ClaimExplicit(ContainerDefinition definition, string containerId, string ownerRecord) =>
        Write(containerId, ownerRecord, ClaimOf(definition));

    /// <summary>
    /// Claims a container's ranges again at its start, should its claim have gone (a copied store,
    /// a deleted file); an auto container is refused when another container took its ids meanwhile.
    /// </summary>
    public static void Renew(ContainerDefinition definition, string containerId, string ownerRecord, string containerName)
    {
        if (definition.Security.UidMappings.Count == 0) return;
        var claim = ClaimOf(definition);
        using var _ = Lock();
        if (definition.Security.UserNamespaceAuto)
        {
            foreach (var (owner, other) in Others(ownerRecord))
            {
                if (Overlap(other.Uids, claim.Uids) || Overlap(other.Gids, claim.Gids))
                {
                    throw ConmanErrors.IdRangeTaken(containerName, $"{string.Join(',', claim.Uids)} (uids) and {string.Join(',', claim.Gids)} (gids)", owner);
                }
            }
        }
        Write(containerId, ownerRecord, claim);
    }

    /// <summary>Takes back the claim of a create that failed before its record was written. Under <see cref="Lock"/>.</summary>
    public static void Withdraw(string containerId) => Claims.Withdraw(containerId);

    /// <summary>Gives a removed container's ranges back, if its record still holds them.</summary>
    public static void Release(string containerId, string ownerRecord) => Claims.Release(containerId, ownerRecord);

    /// <summary>Where a container's claim is, for its shim to give back when it removes the container.</summary>
    public static string ClaimPath(string containerId) => Claims.PathOf(containerId);

    private static List<(string Owner, Claim Claim)> Others(string ownRecord) => Claims.Others<Claim>(ownRecord, TryRead);

    private static bool Overlap(IReadOnlyList<IdRange> ranges, IReadOnlyList<IdRange> others) => ranges.Any(r => others.Any(r.Overlaps));

    private static Claim ClaimOf(ContainerDefinition definition) =>
        new([.. definition.Security.UidMappings.Select(Range)], [.. definition.Security.GidMappings.Select(Range)]);

    /// <summary>After its owner's record, a line "u start size" per uid range and "g start size" per gid range.</summary>
    private static void Write(string containerId, string ownerRecord, Claim claim) =>
        Claims.Write(containerId, ownerRecord,
            [.. claim.Uids.Select(r => string.Create(CultureInfo.InvariantCulture, $"u {r.Start} {r.Size}")),
             .. claim.Gids.Select(r => string.Create(CultureInfo.InvariantCulture, $"g {r.Start} {r.Size}"))]);

    /// <summary>The claim's lines; where they do not read, the maps its owner's record holds, which are what was claimed.</summary>
    internal static bool TryRead(string name, string owner, string[] lines, out Claim claim) =>
        TryReadLines(lines, out claim) || TryReadRecord(owner, out claim);

    private static bool TryReadRecord(string owner, out Claim claim)
    {
        claim = new Claim([], []);
        ContainerDefinition? definition;
        try
        {
            definition = ContainerRecord.Parser.ParseFrom(File.ReadAllBytes(owner)).Definition;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return false;
        }
        if (definition is null || definition.Security.UidMappings.Count == 0 || definition.Security.GidMappings.Count == 0) return false;
        claim = ClaimOf(definition);
        return true;
    }

    private static bool TryReadLines(string[] lines, out Claim claim)
    {
        claim = new Claim([], []);
        List<IdRange> uids = [], gids = [];
        foreach (string line in lines)
        {
            string[] fields = line.Split(' ');
            if (fields.Length != 3 || fields[0] is not ("u" or "g")
                || !uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint start)
                || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint size) || size == 0)
            {
                return false;
            }
            (fields[0] == "u" ? uids : gids).Add(new IdRange(start, size));
        }
        if (uids.Count == 0 || gids.Count == 0) return false;
        claim = new Claim(uids, gids);
        return true;
    }

    private static IdRange Range(IdMapping mapping) => new(mapping.HostId, mapping.Size);
}
