using Conman.Host.Supervision;
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
        var cgroups = RuncState.CgroupPaths(state);
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
}
