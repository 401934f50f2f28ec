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
        var paths = new List<string>();
        var body = state.AsSpan(start + CgroupPathsKey.Length, end - start - CgroupPathsKey.Length);
        foreach (var pair in body.ToString().Split(','))
        {
            if (pair.Length == 0) continue;
            if (pair.Contains('\\')) return null;
            int colon = pair.IndexOf("\":\"", StringComparison.Ordinal);
            if (colon < 0 || !pair.EndsWith('"')) return null;
            string path = pair[(colon + 3)..^1];
            if (!path.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal)) return null;
            paths.Add(path);
        }
        return paths;
    }
}
