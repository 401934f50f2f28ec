using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// The container's restart policy as its shim carries it out, with no daemon: after a run ends,
/// whether another follows and when (Docker's decision and backoff, <see cref="RestartRule"/>),
/// the count of restarts, and a stop that comes between runs. The next run is started by the
/// function the shim's start gave (runc run again, run.pb with the new count).
/// </summary>
internal sealed class RestartPolicy(RestartRule rule, Func<int, ContainerRun> startRun)
{
    private TimeSpan _lastDelay;
    /// <summary>The next end of a run is followed by another at once, whatever the policy (a health check's on-failure restart).</summary>
    private bool _restartNextEnd;
    private bool _ended;

    /// <summary>Restarts so far.</summary>
    public int Count { get; private set; }
    /// <summary>When the next run is due; null when none is.</summary>
    public DateTime? DueAtUtc { get; private set; }
    /// <summary>A stop asked for between runs: no other run follows.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Decides after a run ended; true when another run is due (at <see cref="DueAtUtc"/>).</summary>
    public bool ScheduleAfter(ContainerRun ended, DateTime nowUtc)
    {
        if (_ended) return false;
        if (_restartNextEnd)
        {
            _restartNextEnd = false;
            DueAtUtc = nowUtc;
            return true;
        }
        var (exitCode, _) = ended.Exit!.Value;
        var decision = rule.Decide(exitCode, ended.StopRequested, Count, ended.ExitedAtUtc - ended.StartedAtUtc, _lastDelay);
        if (!decision.Restart) return false;
        _lastDelay = decision.Delay;
        DueAtUtc = nowUtc + decision.Delay;
        return true;
    }

    /// <summary>Runs the container again as soon as the current run ends (podman's --health-on-failure restart).</summary>
    public void RestartWhenRunEnds() => _restartNextEnd = true;

    public bool IsDue(DateTime nowUtc) => DueAtUtc is { } due && nowUtc >= due;

    /// <summary>
    /// The shim itself was told to end (SIGTERM or SIGINT, as at a shutdown): the run it passes
    /// the signal to is the last, as Docker's daemon restarts nothing while it shuts down.
    /// </summary>
    public void EndAfterThisRun()
    {
        _ended = true;
        Cancel();
    }

    /// <summary>A stop (Stop-Container) while a restart is due: it does not happen.</summary>
    public void Cancel()
    {
        if (DueAtUtc is null) return;
        DueAtUtc = null;
        Cancelled = true;
    }

    /// <summary>Runs the container again.</summary>
    /// <exception cref="RuntimeCreateException">runc could not start it.</exception>
    public ContainerRun StartNext()
    {
        DueAtUtc = null;
        Count++;
        return startRun(Count);
    }
}
