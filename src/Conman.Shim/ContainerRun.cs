using Conman.Host.Supervision;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// One run of the supervised process, from runc starting it to its reaped exit: its pid, the
/// shim's ends of its stdio, and how it ends. What outlasts a run (the log, the attach listener
/// and its clients) belongs to <see cref="ContainerSupervisor"/>, so that a run can end and another
/// begin under the same shim. Its decisions (a stop and its SIGKILL, the exit) are <see cref="RunState"/>'s;
/// this carries them out on the process.
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
        State = new RunState(startedAtUtc);
        Fd.SetNonBlocking(Stdout);
        if (Stderr >= 0) Fd.SetNonBlocking(Stderr);
        if (Stdin >= 0) Fd.SetNonBlocking(Stdin);
        _pidfd = LibC.PidfdOpen(Pid);
    }

    public int Pid { get; }
    /// <summary>Where the run is (running, stopping, exited, over) and when it started.</summary>
    public RunState State { get; }
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

    public bool OutputDrained => Stdout < 0 && Stderr < 0;

    /// <summary>Sends a signal to the process, unless it has exited already (its pid may be reused then).</summary>
    public void Signal(int signal)
    {
        if (State.IsRunning) LibC.kill(Pid, signal);
    }

    /// <summary>The stop signal now, SIGKILL once <paramref name="timeout"/> passed (at once for zero).</summary>
    /// <param name="byClient">Asked for through Conman (recorded as stop_requested); false for the shim's own (a health check's restart).</param>
    public void RequestStop(int signal, TimeSpan timeout, DateTime nowUtc, bool byClient = true)
    {
        if (State.RequestStop(signal, timeout, nowUtc, byClient) is { } first) Signal(first);
    }

    /// <summary>Sends SIGKILL when a stop's grace period has passed.</summary>
    public void EscalateStop(DateTime nowUtc)
    {
        if (State.EscalateStop(nowUtc) is { } kill) Signal(kill);
    }

    /// <summary>Records the process's wait status, once the shim reaped it.</summary>
    public void Exited(int waitStatus, DateTime nowUtc)
    {
        State.Exited(ProcessExit.FromWaitStatus(waitStatus), nowUtc);
        Fd.Close(ref _pidfd);
        Fd.Close(ref Stdin);
    }

    /// <summary>The exit record of this run, as exit.pb and the exit frame carry it.</summary>
    /// <param name="stoppedBetweenRuns">A stop came after this run ended, while a restart was due: it cancelled the restart.</param>
    public byte[] ExitRecord(ShimId shim, ulong lostLogBytes, bool oomKilled, bool restarting, bool stoppedBetweenRuns)
    {
        var (exitCode, signal) = State.Exit!.Value;
        return ShimWire.ExitRecord(exitCode, signal, State.ExitedAtUtc, lostLogBytes, shim, State.StartedAtUtc, State.StopRequested || stoppedBetweenRuns,
            oomKilled, restarting);
    }
}
