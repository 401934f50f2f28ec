using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// One run of the supervised process, from runc starting it to its reaped exit: its pid, the
/// shim's ends of its stdio, and how it ends. What outlasts a run (the log, the attach listener
/// and its clients) belongs to <see cref="ContainerSupervisor"/>, so that a run can end and another
/// begin under the same shim.
/// </summary>
internal sealed class ContainerRun
{
    private int _pidfd;

    public ContainerRun(SupervisedProcess process, DateTime startedAtUtc)
    {
        Pid = process.Pid;
        Stdout = process.Stdout;
        Stderr = process.Stderr;
        Stdin = process.Stdin;
        Terminal = process.Terminal;
        StartedAtUtc = startedAtUtc;
        Fd.SetNonBlocking(Stdout);
        if (Stderr >= 0) Fd.SetNonBlocking(Stderr);
        if (Stdin >= 0) Fd.SetNonBlocking(Stdin);
        _pidfd = LibC.PidfdOpen(Pid);
    }

    public int Pid { get; }
    public DateTime StartedAtUtc { get; }
    // Fields, not properties: the supervisor closes them by reference as they reach end of file.
    public int Stdout;
    public int Stderr;
    public int Stdin;
    /// <summary>The pty master when the container has a terminal (the same fd as Stdout), else -1.</summary>
    public int Terminal { get; }
    public int Pidfd => _pidfd;
    /// <summary>Client input not yet written to the process's stdin.</summary>
    public ByteQueue PendingStdin { get; } = new();
    public bool CloseStdinWhenDrained { get; set; }

    public (int ExitCode, int? Signal)? Exit { get; private set; }
    /// <summary>When the exit was reaped; never before <see cref="StartedAtUtc"/>.</summary>
    public DateTime ExitedAtUtc { get; private set; }
    /// <summary>A stop was asked for (Stop-Container, Remove-Container -Force): the run did not end by itself.</summary>
    public bool StopRequested { get; private set; }
    /// <summary>When a stop in progress escalates to SIGKILL; null when none is.</summary>
    public DateTime? KillAtUtc { get; private set; }

    public bool OutputDrained => Stdout < 0 && Stderr < 0;

    /// <summary>Sends a signal to the process, unless it has exited already (its pid may be reused then).</summary>
    public void Signal(int signal)
    {
        if (Exit is null) LibC.kill(Pid, signal);
    }

    /// <summary>The stop signal now, SIGKILL once <paramref name="timeout"/> passed (at once for zero).</summary>
    /// <param name="byClient">Asked for through Conman (recorded as stop_requested); false for the shim's own (a health check's restart).</param>
    public void RequestStop(int signal, TimeSpan timeout, DateTime nowUtc, bool byClient = true)
    {
        // A run that ended by itself while its output drains was not stopped.
        if (Exit is not null) return;
        StopRequested |= byClient;
        if (timeout <= TimeSpan.Zero)
        {
            Signal(LibC.SIGKILL);
            return;
        }
        Signal(signal);
        var killAt = nowUtc + timeout;
        // A second stop may shorten the grace period, never lengthen it (docker stop -t 0 after docker stop).
        if (KillAtUtc is not { } earlier || killAt < earlier) KillAtUtc = killAt;
    }

    /// <summary>Sends SIGKILL when a stop's grace period has passed.</summary>
    public void EscalateStop(DateTime nowUtc)
    {
        if (KillAtUtc is not { } killAt || nowUtc < killAt) return;
        KillAtUtc = null;
        Signal(LibC.SIGKILL);
    }

    /// <summary>Records the process's wait status, once the shim reaped it.</summary>
    public void Exited(int waitStatus, DateTime nowUtc)
    {
        Exit = LibC.DecodeWaitStatus(waitStatus);
        // One clock, in order: a wall clock stepped back during the run must not finish it before it started.
        ExitedAtUtc = nowUtc < StartedAtUtc ? StartedAtUtc : nowUtc;
        KillAtUtc = null;
        Fd.Close(ref _pidfd);
        Fd.Close(ref Stdin);
    }

    /// <summary>The exit record of this run, as exit.pb and the exit frame carry it.</summary>
    /// <param name="stoppedBetweenRuns">A stop came after this run ended, while a restart was due: it cancelled the restart.</param>
    public byte[] ExitRecord(ShimId shim, ulong lostLogBytes, bool oomKilled, bool restarting, bool stoppedBetweenRuns)
    {
        var (exitCode, signal) = Exit!.Value;
        return ShimWire.ExitRecord(exitCode, signal, ExitedAtUtc, lostLogBytes, shim, StartedAtUtc, StopRequested || stoppedBetweenRuns,
            oomKilled, restarting);
    }
}
