using Conman.Protocol;

namespace Conman.Host.Supervision;

/// <summary>
/// A container's restart policy as its shim carries it out, with no daemon: after a run ended,
/// whether another follows and when (Docker's decision and backoff, <see cref="RestartRule"/>), the
/// count of restarts, and what cancels a restart that is due: a stop asked for between runs, or the
/// shim's own end (SIGTERM, as at a shutdown). A health check's on-failure restart runs the next
/// run at once, whatever the policy, unless a stop asked for through Conman ended the run. The
/// decisions only: the shim starts the run.
/// </summary>
internal sealed class RestartSchedule(RestartRule rule)
{
    private TimeSpan _lastDelay;
    /// <summary>The next end of a run is followed by another at once, whatever the policy (a health check's on-failure restart).</summary>
    private bool _restartNextEnd;
    /// <summary>No other run follows, whatever the policy: the shim was told to end, or a stop cancelled the next run.</summary>
    private bool _noMoreRuns;

    /// <summary>Restarts so far (run.pb's restart count).</summary>
    public int Count { get; private set; }
    /// <summary>When the next run is due; null when none is.</summary>
    public DateTime? DueAtUtc { get; private set; }
    /// <summary>A stop asked for between runs cancelled the next one: the last run's exit record says stop_requested.</summary>
    public bool StoppedBetweenRuns { get; private set; }

    /// <summary>Decides once a run ended (its exit reaped); true when another run is due (at <see cref="DueAtUtc"/>).</summary>
    public bool ScheduleAfter(RunState ended, DateTime nowUtc)
    {
        if (_noMoreRuns) return false;
        bool forHealth = _restartNextEnd;
        _restartNextEnd = false;
        // A stop asked for while the health check's restart was stopping the run wins, as it does over the policy.
        if (forHealth && !ended.StopRequested)
        {
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
    /// the signal to is the last, as Docker's daemon restarts nothing while it shuts down. Not a stop
    /// asked for: a boot's Restore-Container brings an UnlessStopped container back, as Docker's does.
    /// </summary>
    public void EndAfterThisRun()
    {
        _noMoreRuns = true;
        DueAtUtc = null;
    }

    /// <summary>A stop (Stop-Container) while a restart is due: it does not happen.</summary>
    /// <returns>True when a restart was due and is cancelled; false when none was (the stop is the current run's).</returns>
    public bool CancelNextRun()
    {
        if (DueAtUtc is null) return false;
        DueAtUtc = null;
        _noMoreRuns = true;
        StoppedBetweenRuns = true;
        return true;
    }

    /// <summary>The next run starts now.</summary>
    /// <returns>Its restart count.</returns>
    public int BeginNextRun()
    {
        DueAtUtc = null;
        return ++Count;
    }
}
