using System.Globalization;

namespace Conman.Engine.UserNamespaces;

/// <summary>A range of host ids: [Start, Start + Size).</summary>
internal readonly record struct IdRange(uint Start, uint Size)
{
    public ulong End => (ulong)Start + Size;

    public bool Overlaps(IdRange other) => UserNamespaceSpec.Overlap(Start, Size, other.Start, other.Size);

    public override string ToString() => $"{Start}-{End - 1}";
}

/// <summary>
/// The host ids -UserNs auto may give containers, as podman's --userns=auto takes them: the
/// ranges /etc/subuid and /etc/subgid give the user "containers". Without such entries, podman's
/// documented example range (2147483647, 2147483648 ids: the upper half of the id space, which no
/// account or useradd's allocation reaches), less any range those files give another user.
/// </summary>
internal sealed record SubordinateIds(IReadOnlyList<IdRange> Uids, IReadOnlyList<IdRange> Gids,
    IReadOnlyList<IdRange> OtherUids, IReadOnlyList<IdRange> OtherGids, string Source)
{
    public const string PoolUser = "containers";
    public static readonly IdRange DefaultPool = new(2147483647, 2147483648);

    public static SubordinateIds Current() => Parse(ReadOrEmpty("/etc/subuid"), ReadOrEmpty("/etc/subgid"));

    /// <summary>From the two files' text ("name:start:count" lines); lines that do not parse are skipped, as shadow-utils skips them.</summary>
    public static SubordinateIds Parse(string subuid, string subgid)
    {
        var (uids, otherUids) = Entries(subuid);
        var (gids, otherGids) = Entries(subgid);
        if (uids.Count == 0 && gids.Count == 0)
        {
            return new SubordinateIds([DefaultPool], [DefaultPool], otherUids, otherGids, $"the default range {DefaultPool}");
        }
        if (uids.Count == 0 || gids.Count == 0)
        {
            throw ConmanErrors.InvalidUserNamespace("auto",
                $"only one of /etc/subuid and /etc/subgid gives the user '{PoolUser}' ids; give it ranges in both");
        }
        return new SubordinateIds(uids, gids, otherUids, otherGids, $"the ranges /etc/subuid and /etc/subgid give '{PoolUser}'");
    }

    private static (List<IdRange> Pool, List<IdRange> Others) Entries(string text)
    {
        List<IdRange> pool = [], others = [];
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Trim().Split(':');
            if (fields.Length != 3
                || !uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint start)
                || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint count)
                || count == 0 || (ulong)start + count > uint.MaxValue)
            {
                continue;
            }
            (fields[0] == PoolUser ? pool : others).Add(new IdRange(start, count));
        }
        return (pool, others);
    }

    /// <summary>The first range of <paramref name="size"/> ids in <paramref name="pool"/> that overlaps none of <paramref name="taken"/>.</summary>
    public static IdRange? FirstFree(IEnumerable<IdRange> pool, IReadOnlyCollection<IdRange> taken, uint size)
    {
        foreach (var segment in pool)
        {
            ulong start = segment.Start;
            while (start + size <= segment.End)
            {
                var candidate = new IdRange((uint)start, size);
                var blocking = taken.Where(candidate.Overlaps).ToList();
                if (blocking.Count == 0) return candidate;
                start = blocking.Max(t => t.End);
            }
        }
        return null;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            // Bounded: these files are a line per user.
            using var file = File.OpenRead(path);
            var buffer = new byte[Math.Min(file.Length, 1 << 20)];
            file.ReadExactly(buffer);
            return System.Text.Encoding.UTF8.GetString(buffer);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }
}
