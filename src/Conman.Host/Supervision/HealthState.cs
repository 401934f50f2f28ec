using Conman.Protocol;

namespace Conman.Host.Supervision;

/// <summary>
/// A run's health as Docker keeps it (moby's daemon/health.go): Starting until a check passes or
/// failures count; a pass makes it Healthy and ends the failing streak; while it is still Starting,
/// a check that began in the start period does not count its failure; as many failures in a row
/// as the retries make it Unhealthy, and only that turn calls for the on-failure action (podman's
/// --health-on-failure), not every failed check after. The last 5 checks are kept. The first check
/// is due an interval after the run started, the next an interval after the last one ended.
/// </summary>
internal sealed class HealthState(HealthCheckOptions check)
{
    public const int ProbesKept = 5;

    private readonly List<ShimWire.Probe> _probes = [];

    public DateTime RunStartedAtUtc { get; private set; }
    public HealthStatus Status { get; private set; }
    public int FailingStreak { get; private set; }
    /// <summary>The last checks, oldest first.</summary>
    public IReadOnlyList<ShimWire.Probe> Probes => _probes;
    public DateTime NextCheckAtUtc { get; private set; }

    /// <summary>A new run: its health starts over.</summary>
    public void RunStarted(DateTime startedAtUtc)
    {
        RunStartedAtUtc = startedAtUtc;
        NextCheckAtUtc = startedAtUtc + check.Interval;
        Status = HealthStatus.Starting;
        FailingStreak = 0;
        _probes.Clear();
    }

    public bool IsDue(DateTime nowUtc) => nowUtc >= NextCheckAtUtc;

    /// <summary>A check ended (exit 0 passes, anything else fails).</summary>
    /// <returns>The on-failure action when this check turned the run Unhealthy; None otherwise.</returns>
    public HealthFailureAction Record(ShimWire.Probe probe)
    {
        _probes.Add(probe);
        if (_probes.Count > ProbesKept) _probes.RemoveAt(0);
        NextCheckAtUtc = probe.FinishedAtUtc + check.Interval;

        var before = Status;
        if (probe.ExitCode == 0)
        {
            Status = HealthStatus.Healthy;
            FailingStreak = 0;
        }
        else if (!(before == HealthStatus.Starting && probe.StartedAtUtc < RunStartedAtUtc + check.StartPeriod))
        {
            FailingStreak++;
            if (FailingStreak >= check.Retries) Status = HealthStatus.Unhealthy;
        }
        return Status == HealthStatus.Unhealthy && before != HealthStatus.Unhealthy ? check.OnFailure : HealthFailureAction.None;
    }
}
