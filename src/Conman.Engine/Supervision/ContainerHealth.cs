namespace Conman.Engine.Supervision;

public enum HealthStatus
{
    /// <summary>No check has passed yet, and its failures have not reached the retries (or came in the start period).</summary>
    Starting,
    Healthy,
    /// <summary>The last checks failed, as many in a row as its retries.</summary>
    Unhealthy,
}

/// <summary>What the shim does when the container becomes unhealthy (podman's --health-on-failure).</summary>
public enum HealthOnFailure
{
    None,
    /// <summary>SIGKILL: the run ends as a crash would, and its restart policy applies.</summary>
    Kill,
    /// <summary>A stop, then a new run at once, whatever its restart policy.</summary>
    Restart,
}

/// <summary>A running container's health, as its shim recorded it after each check (docker inspect's State.Health).</summary>
/// <param name="FailingStreak">Failures in a row.</param>
/// <param name="Log">The last checks, oldest first (at most 5).</param>
public sealed record ContainerHealth(HealthStatus Status, int FailingStreak, IReadOnlyList<HealthProbe> Log);

/// <param name="ExitCode">0 is healthy; -1 when the check could not run or ran past its timeout.</param>
/// <param name="Output">The end of what it printed (at most 4 KiB), or why it failed to run.</param>
public sealed record HealthProbe(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int ExitCode, string Output);
