namespace Conman.Shim;

/// <summary>
/// Whether the kernel OOM-killed a process of the container during its run, from the memory
/// cgroup's own count of OOM kills (v1 memory.oom_control, v2 memory.events: "oom_kill N"). Read
/// at exit, before the cgroup is removed: the cgroup is made for each run, so its count is this
/// run's. Docker's OOMKilled means the same (any process of the container, not only its init);
/// podman 4.3 on cgroup v1 reports false for a container the kernel OOM-killed, as it looks for
/// an event file conmon never wrote there.
/// </summary>
internal static class OomWatch
{
    public static bool WasOomKilled(string runtimeRoot, string containerId)
    {
        string state;
        try
        {
            state = File.ReadAllText(Path.Combine(runtimeRoot, containerId, "state.json"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (MemoryCgroup(StoppedContainerCleanup.CgroupPaths(state)) is not { } folder) return false;
        return OomKills(Path.Combine(folder, "memory.oom_control")) > 0 || OomKills(Path.Combine(folder, "memory.events")) > 0;
    }

    /// <summary>The memory controller's folder: v1 names one per controller, v2 one for all.</summary>
    private static string? MemoryCgroup(List<string>? paths) =>
        paths?.Find(p => p.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal)) ?? (paths is [var unified] ? unified : null);

    /// <summary>The "oom_kill N" line of a memory cgroup's event file; 0 when there is no such file or line.</summary>
    private static long OomKills(string eventsFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(eventsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(9), out long kills)) return kills;
        }
        return 0;
    }
}
