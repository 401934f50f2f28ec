using Conman.Native;

namespace Conman.Host.Supervision;

/// <summary>
/// Where one run of a supervised process is, from its start to its end, as its shim decides it:
/// running until its exit is reaped; a stop (the stop signal now, SIGKILL once the grace period
/// passed) that only a client's request records as stop_requested; over once its exit is known
/// and its output drained. The decisions only: the shim's <c>ContainerRun</c> sends the signals
/// these methods return, so that every transition is tested without a process.
/// </summary>
internal sealed class RunState(DateTime startedAtUtc)
{
    /// <summary>After the init process exits, the pid namespace is gone and the pipes close at
    /// once; this bounds the drain should anything still hold them.</summary>
    public static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    public DateTime StartedAtUtc { get; } = startedAtUtc;
    /// <summary>How the process ended; null while it runs.</summary>
    public ProcessExit? Exit { get; private set; }
    /// <summary>When the exit was reaped; never before <see cref="StartedAtUtc"/>.</summary>
    public DateTime ExitedAtUtc { get; private set; }
    /// <summary>A stop was asked for (Stop-Container, Remove-Container -Force): the run did not end by itself.</summary>
    public bool StopRequested { get; private set; }
    /// <summary>When a stop in progress escalates to SIGKILL; null when none is.</summary>
    public DateTime? KillAtUtc { get; private set; }

    /// <summary>The process has not been reaped: a signal reaches it (once reaped, its pid may be another's).</summary>
    public bool IsRunning => Exit is null;

    /// <summary>A stop asked for now: the stop signal, and SIGKILL once <paramref name="timeout"/> passed (at once for zero).</summary>
    /// <param name="byClient">Asked for through Conman (recorded as stop_requested); false for the shim's own (a health check's restart).</param>
    /// <returns>The signal to send now; null when the run has already ended.</returns>
    public int? RequestStop(int signal, TimeSpan timeout, DateTime nowUtc, bool byClient)
    {
        // A run that ended by itself while its output drains was not stopped.
        if (!IsRunning) return null;
        StopRequested |= byClient;
        if (timeout <= TimeSpan.Zero) return LibC.SIGKILL;
        var killAt = nowUtc + timeout;
        // A second stop may shorten the grace period, never lengthen it (docker stop -t 0 after docker stop).
        if (KillAtUtc is not { } earlier || killAt < earlier) KillAtUtc = killAt;
        return signal;
    }

    /// <returns>SIGKILL when a stop's grace period has just passed (once; an exit before it ends the stop); null otherwise.</returns>
    public int? EscalateStop(DateTime nowUtc)
    {
        if (KillAtUtc is not { } killAt || nowUtc < killAt) return null;
        KillAtUtc = null;
        return LibC.SIGKILL;
    }

    /// <summary>The process was reaped.</summary>
    public void Exited(ProcessExit exit, DateTime nowUtc)
    {
        Exit = exit;
        // One clock, in order: a wall clock stepped back during the run must not finish it before it started.
        ExitedAtUtc = nowUtc < StartedAtUtc ? StartedAtUtc : nowUtc;
        KillAtUtc = null;
    }

    /// <summary>The run is over: exited, and its output drained or the drain limit passed. What follows it is the restart policy's.</summary>
    public bool IsOver(DateTime nowUtc, bool outputDrained) => !IsRunning && (outputDrained || nowUtc - ExitedAtUtc > DrainLimit);
}
