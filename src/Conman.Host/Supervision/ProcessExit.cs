namespace Conman.Host.Supervision;

/// <summary>
/// How a process ended, as the shim records it: <c>exit N</c> gives N; killed by signal S gives
/// 128+S with S beside it, as a shell reports it (and as Docker's ExitCode does), so that a stop's
/// SIGTERM reads 143 and a SIGKILL 137.
/// </summary>
internal readonly record struct ProcessExit(int ExitCode, int? Signal)
{
    /// <summary>Decodes a status from waitpid (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG; the core-dump bit is not part of the signal).</summary>
    public static ProcessExit FromWaitStatus(int status)
    {
        int signal = status & 0x7f;
        return signal == 0 ? new ProcessExit((status >> 8) & 0xff, null) : new ProcessExit(128 + signal, signal);
    }
}
