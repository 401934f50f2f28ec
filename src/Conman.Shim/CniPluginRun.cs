using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Runs a CNI plugin's DEL at the container's exit: its config on stdin, its output dropped (a
/// DEL's result is empty; its failure changes nothing the shim could do, and Remove-Container
/// runs it again). Bounded, so that a plugin stuck on the iptables lock cannot hold the exit back.
/// </summary>
internal static unsafe class CniPluginRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static void Run(CniCall call)
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
        int status;
        while (LibC.waitpid(pid, &status, LibC.WNOHANG) == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                LibC.kill(pid, LibC.SIGKILL);
                ChildProcess.WaitForExit(pid);
                return;
            }
            Thread.Sleep(2);
        }
    }
}
