namespace Conman.Host.Supervision;

/// <summary>
/// What the shim reads of runc's state.json for a container it supervised: the cgroups runc made
/// for it, which the shim removes when it forgets the stopped container and where it reads the
/// run's OOM kills. Read by hand: the shim carries no JSON library.
/// </summary>
internal static class RuncState
{
    private const string CgroupPathsKey = "\"cgroup_paths\":{";

    /// <summary>
    /// The values of state.json's "cgroup_paths" object. Null when the object is not as runc writes
    /// it: absolute paths under /sys/fs/cgroup, no escapes, no "..", so that nothing else is ever removed.
    /// </summary>
    public static List<string>? CgroupPaths(string state)
    {
        int start = state.IndexOf(CgroupPathsKey, StringComparison.Ordinal);
        if (start < 0) return null;
        int end = state.IndexOf('}', start);
        if (end < 0) return null;
        var rest = state.AsSpan(start + CgroupPathsKey.Length, end - start - CgroupPathsKey.Length);
        if (rest.Contains('\\')) return null;
        var paths = new List<string>();
        // "controller":"path" pairs; a comma inside quotes is part of a path (controllers mounted
        // together: /sys/fs/cgroup/cpu,cpuacct), only one between pairs separates them.
        while (!rest.IsEmpty)
        {
            if (paths.Count > 0 && !Take(ref rest, ',')) return null;
            if (!TakeString(ref rest, out _) || !Take(ref rest, ':') || !TakeString(ref rest, out var path)) return null;
            if (!path.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal)
                || path.EndsWith("/..", StringComparison.Ordinal)) return null;
            paths.Add(path.ToString());
        }
        return paths;
    }

    private static bool Take(ref ReadOnlySpan<char> rest, char expected)
    {
        if (rest.IsEmpty || rest[0] != expected) return false;
        rest = rest[1..];
        return true;
    }

    /// <summary>A quoted string with no escapes in it (the caller refused any).</summary>
    private static bool TakeString(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> value)
    {
        value = default;
        if (!Take(ref rest, '"')) return false;
        int close = rest.IndexOf('"');
        if (close < 0) return false;
        value = rest[..close];
        rest = rest[(close + 1)..];
        return true;
    }
}
