using Conman.Host.Supervision;

namespace Conman.Shim;

/// <summary>
/// Whether the kernel OOM-killed a process of the container during its run, from the memory
/// cgroup's own count of OOM kills (v1 memory.oom_control, v2 memory.events: "oom_kill N"). Read
/// at exit, before the cgroup is removed: the cgroup is made for each run, so its count is this
/// run's. Docker's OOMKilled means the same (any process of the container, not only its init);
/// podman 4.3 on cgroup v1 reports false for a container the kernel OOM-killed, as it looks for
/// an event file conmon never wrote there. What the files say is read by <see cref="OomKills"/>.
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
        if (OomKills.MemoryCgroup(RuncState.CgroupPaths(state)) is not { } folder) return false;
        return OomKills.Count(ReadOrEmpty(Path.Combine(folder, "memory.oom_control"))) > 0
            || OomKills.Count(ReadOrEmpty(Path.Combine(folder, "memory.events"))) > 0;
    }

    /// <summary>An event file's text; empty when there is none (v1 has no memory.events, v2 no memory.oom_control).</summary>
    private static string ReadOrEmpty(string eventFile)
    {
        try
        {
            return File.ReadAllText(eventFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
