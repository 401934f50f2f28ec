using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Runs a CNI plugin's DEL at the container's exit: its config on stdin, its output dropped (a
/// DEL's result is empty). A DEL that fails is tried again (iptables' nf_tables backend refuses a
/// change that races another one), then reported, so that the shim keeps the chain's result file
/// and Remove-Container runs the DELs again. Bounded, so that a plugin stuck on a lock cannot hold
/// the exit back.
/// </summary>
internal static unsafe class CniPluginRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private const int Attempts = 3;

    /// <returns>Whether the plugin succeeded, at one of its attempts.</returns>
    public static bool Run(CniCall call)
    {
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            if (RunOnce(call)) return true;
            if (attempt < Attempts) Thread.Sleep(100 * attempt);
        }
        return false;
    }

    private static bool RunOnce(CniCall call)
    {
        // The engine's lock around plugin runs; past the bound, the DEL runs anyway.
        int lockFd = BoundedFlock.Take(CniCall.LockPath, Limit, out _);
        try
        {
            return RunUnlocked(call);
        }
        finally
        {
            if (lockFd >= 0) LibC.close(lockFd);
        }
    }

    private static bool RunUnlocked(CniCall call)
    {
        int* pipe = stackalloc int[2];
        if (LibC.pipe2(pipe, LibC.O_CLOEXEC) != 0) throw new IOException($"pipe2 failed: errno {LibC.Errno}");
        int devNull = LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        int pid;
        try
        {
            pid = ChildProcess.Spawn(call.Plugin, [], pipe[0], devNull, devNull, call.Environment());
        }
        finally
        {
            LibC.close(pipe[0]);
            LibC.close(devNull);
        }
        // A config is a few KiB, well within a pipe's buffer: written whole before the plugin reads.
        Fd.WriteAll(pipe[1], call.Config);
        LibC.close(pipe[1]);
        var deadline = DateTime.UtcNow + Limit;
        int status = -1, waited;
        while ((waited = LibC.waitpid(pid, &status, LibC.WNOHANG)) == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                LibC.kill(pid, LibC.SIGKILL);
                ChildProcess.WaitForExit(pid);
                return false;
            }
            Thread.Sleep(2);
        }
        // Exited with status 0 (the raw wait status of a normal exit 0 is 0).
        return waited == pid && status == 0;
    }
}
