using Conman.Host;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Runs a helper (a CNI plugin's DEL at exit) by fork and exec (<see cref="ChildProcess"/>): its
/// input on a pipe, its output dropped but for the last of it, which says why it failed.
/// </summary>
internal sealed unsafe class ForkProcessRunner : IProcessRunner
{
    /// <summary>Enough of a plugin's output to carry its error object.</summary>
    private const int KeptOutput = 4096;

    public ProcessOutcome Run(string path, byte[] input, IReadOnlyList<string> environment, TimeSpan limit)
    {
        int* stdin = stackalloc int[2];
        int* output = stackalloc int[2];
        if (LibC.pipe2(stdin, LibC.O_CLOEXEC) != 0) throw new IOException($"pipe2 failed: errno {LibC.Errno}");
        if (LibC.pipe2(output, LibC.O_CLOEXEC | LibC.O_NONBLOCK) != 0)
        {
            LibC.close(stdin[0]);
            LibC.close(stdin[1]);
            throw new IOException($"pipe2 failed: errno {LibC.Errno}");
        }
        int pid;
        try
        {
            pid = ChildProcess.Spawn(path, [], stdin[0], output[1], output[1], environment);
        }
        finally
        {
            LibC.close(stdin[0]);
            LibC.close(output[1]);
        }
        // A config is a few KiB, well within a pipe's buffer: written whole before the plugin reads.
        Fd.WriteAll(stdin[1], input);
        LibC.close(stdin[1]);
        var kept = new List<byte>();
        var buffer = new byte[KeptOutput];
        var deadline = DateTime.UtcNow + limit;
        int status = -1, waited;
        try
        {
            while ((waited = LibC.waitpid(pid, &status, LibC.WNOHANG)) == 0)
            {
                Keep(output[0], buffer, kept);
                if (DateTime.UtcNow > deadline)
                {
                    LibC.kill(pid, LibC.SIGKILL);
                    ChildProcess.WaitForExit(pid);
                    return new ProcessOutcome(null, Text(kept), "");
                }
                Thread.Sleep(2);
            }
            Keep(output[0], buffer, kept);
        }
        finally
        {
            LibC.close(output[0]);
        }
        // Exited normally: the raw wait status holds the exit code in its second byte.
        int? exitCode = waited == pid && (status & 0x7f) == 0 ? (status >> 8) & 0xff : null;
        return new ProcessOutcome(exitCode, Text(kept), "");
    }

    /// <summary>Drains what the pipe holds now, keeping its last <see cref="KeptOutput"/> bytes.</summary>
    private static void Keep(int fd, byte[] buffer, List<byte> kept)
    {
        fixed (byte* bytes = buffer)
        {
            nint read;
            while ((read = LibC.read(fd, bytes, buffer.Length)) > 0)
            {
                kept.AddRange(buffer.AsSpan(0, (int)read).ToArray());
                if (kept.Count > KeptOutput) kept.RemoveRange(0, kept.Count - KeptOutput);
            }
        }
    }

    private static string Text(List<byte> bytes) => System.Text.Encoding.UTF8.GetString([.. bytes]);
}
