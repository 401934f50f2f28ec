using Conman.Engine.Supervision;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// The container's health check (docker --health-cmd, --health-interval, --health-timeout,
/// --health-start-period, --health-retries, --no-healthcheck; podman's --health-on-failure): what
/// New-Container asks for over the image's Healthcheck and, resolved with Docker's defaults, what
/// the container shows (null without a check).
/// </summary>
public sealed record HealthCheckConfig
{
    /// <summary>One string runs under /bin/sh -c (docker --health-cmd), several are an argv; shown as what runs. Replaces the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public TimeSpan? Interval { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Failures in this time after a run starts do not count.</summary>
    public TimeSpan? StartPeriod { get; init; }
    /// <summary>Consecutive failures that make it unhealthy.</summary>
    public int? Retries { get; init; }
    public HealthOnFailure OnFailure { get; init; }
    /// <summary>Asked only: no health check, not even the image's (docker --no-healthcheck).</summary>
    public bool Disabled { get; init; }

    internal static ContainerHealthCheck? Resolve(HealthCheckConfig asked, ImageHealthcheck? image) => HealthChecks.Resolve(asked, image);

    internal static HealthCheckConfig? From(ContainerHealthCheck? check) => check is null ? null : new()
    {
        Command = [.. check.Command],
        Interval = TimeSpan.FromMilliseconds(check.IntervalMilliseconds),
        Timeout = TimeSpan.FromMilliseconds(check.TimeoutMilliseconds),
        StartPeriod = TimeSpan.FromMilliseconds(check.StartPeriodMilliseconds),
        Retries = (int)check.Retries,
        OnFailure = check.OnFailure switch { HealthFailureAction.Kill => HealthOnFailure.Kill, HealthFailureAction.Restart => HealthOnFailure.Restart, _ => HealthOnFailure.None },
    };
}
