using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Forgets a stopped container the way `runc delete` does for one (removes its cgroups, then its
/// state folder), without starting runc: a Go binary's start costs about 7 ms here, which the
/// exit record would wait for, or a Remove-Container right after the exit would pay again.
/// Anything unexpected (no state, a cgroup still busy, a path it cannot read) makes it give up,
/// and the caller runs `runc delete` as before.
/// </summary>
internal static class StoppedContainerCleanup
{
    private const string CgroupPathsKey = "\"cgroup_paths\":{";

    public static bool TryForget(string runtimeRoot, string containerId)
    {
        // Only ever after `runc run` has returned (the shim supervises from then on), so no runc
        // is still at work in the state folder.
        string stateFolder = Path.Combine(runtimeRoot, containerId);
        string state;
        try
        {
            state = File.ReadAllText(Path.Combine(stateFolder, "state.json"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        var cgroups = CgroupPaths(state);
        if (cgroups is null) return false;
        foreach (string cgroup in cgroups)
        {
            // Controllers mounted together (cpu,cpuacct) share a folder: the second rmdir finds it gone.
            if (LibC.rmdir(cgroup) != 0 && LibC.Errno != LibC.ENOENT) return false;
        }
        // runc keeps state.json there, and the exec fifo until the container started. Removed
        // file by file: a recursive delete would bring .NET's folder enumeration into the shim,
        // and 200 KiB with it.
        File.Delete(Path.Combine(stateFolder, "exec.fifo"));
        File.Delete(Path.Combine(stateFolder, "state.json"));
        return LibC.rmdir(stateFolder) == 0;
    }

    /// <summary>
    /// The values of state.json's "cgroup_paths" object, read by hand (the shim carries no JSON
    /// library). Null when the object is not as runc writes it: absolute paths, no escapes.
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
