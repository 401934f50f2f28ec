namespace Conman.Host.Supervision;

/// <summary>
/// Whether the kernel OOM-killed a process of a run, from the memory cgroup's own count: which
/// of the container's cgroups is the memory controller's, and the "oom_kill N" line of its event
/// file (v1 memory.oom_control, v2 memory.events). The shim's OomWatch reads the files; this
/// reads what they say.
/// </summary>
internal static class OomKills
{
    /// <summary>The memory controller's folder among a container's cgroups (<see cref="RuncState.CgroupPaths"/>): v1 names one per controller, v2 one for all.</summary>
    public static string? MemoryCgroup(List<string>? cgroupPaths) =>
        cgroupPaths?.Find(p => p.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal))
        ?? (cgroupPaths is [var unified] ? unified : null);

    /// <summary>The count on an event file's "oom_kill N" line; 0 without one ("oom_kill_disable" and "oom_group_kill" are other lines).</summary>
    public static long Count(string eventFile)
    {
        foreach (string line in eventFile.Split('\n'))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(9), out long kills)) return kills;
        }
        return 0;
    }
}
