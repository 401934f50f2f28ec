using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Engine.Supervision;

/// <summary>
/// A container's health check from what New-Container asks for and the image's Healthcheck,
/// with Docker's rules and defaults (30 s interval and timeout, no start period, 3 retries); and
/// the record the shim writes back, as the engine's types.
/// </summary>
internal static class HealthChecks
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const int DefaultRetries = 3;
    /// <summary>Docker's floor for the interval and timeout.</summary>
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(1);

    /// <returns>Null when the container has no health check.</returns>
    public static ContainerHealthCheck? Resolve(Definitions.HealthCheckConfig asked, ImageHealthcheck? image)
    {
        bool tuned = asked.Interval is not null || asked.Timeout is not null || asked.StartPeriod is not null
            || asked.Retries is not null || asked.OnFailure != HealthOnFailure.None;
        if (asked.Disabled)
        {
            if (asked.Command is not null || tuned) throw ConmanErrors.InvalidHealthCheck("-NoHealthcheck", "it cannot go with other health settings");
            return null;
        }
        var command = asked.Command is { } given ? FromOption(given) : FromImage(image?.Test.ToArray());
        if (command is null)
        {
            if (tuned) throw ConmanErrors.InvalidHealthCheck("health settings", "there is no health command (its own, or the image's Healthcheck)");
            return null;
        }
        var check = new ContainerHealthCheck
        {
            IntervalMilliseconds = Milliseconds("health interval", asked.Interval, image?.IntervalNanoseconds, DefaultInterval, Minimum),
            TimeoutMilliseconds = Milliseconds("health timeout", asked.Timeout, image?.TimeoutNanoseconds, DefaultTimeout, Minimum),
            StartPeriodMilliseconds = Milliseconds("health start period", asked.StartPeriod, image?.StartPeriodNanoseconds, TimeSpan.Zero, TimeSpan.Zero),
            Retries = (uint)(asked.Retries ?? (image is { Retries: > 0 } ? image.Retries : DefaultRetries)),
            OnFailure = asked.OnFailure switch
            {
                HealthOnFailure.Kill => HealthFailureAction.Kill,
                HealthOnFailure.Restart => HealthFailureAction.Restart,
                _ => HealthFailureAction.None,
            },
        };
        if (asked.Retries is < 1) throw ConmanErrors.InvalidHealthCheck("health retries", "give at least 1 failure in a row");
        check.Command.AddRange(command);
        return check;
    }

    /// <summary>One string is a shell command (docker --health-cmd); several are the command and its arguments.</summary>
    private static List<string> FromOption(IReadOnlyList<string> command)
    {
        if (command.Count == 0 || command.Any(string.IsNullOrEmpty)) throw ConmanErrors.InvalidHealthCheck("health command", "it may not be empty");
        return command.Count == 1 ? ["/bin/sh", "-c", command[0]] : [.. command];
    }

    /// <summary>The image's Test: ["NONE"] and [] are none; ["CMD", args...]; ["CMD-SHELL", command].</summary>
    private static List<string>? FromImage(string[]? test) => test switch
    {
        ["CMD", .. var arguments] when arguments.Length > 0 => [.. arguments],
        ["CMD-SHELL", var shell] => ["/bin/sh", "-c", shell],
        _ => null,
    };

    private static uint Milliseconds(string name, TimeSpan? given, long? imageNanoseconds, TimeSpan fallback, TimeSpan minimum)
    {
        var value = given ?? (imageNanoseconds is > 0 ? TimeSpan.FromTicks(imageNanoseconds.Value / 100) : fallback);
        if (value < minimum || value > TimeSpan.FromDays(24))
        {
            throw ConmanErrors.InvalidHealthCheck(name, minimum > TimeSpan.Zero ? "give at least 1 ms, and at most 24 days" : "give no less than 0, and at most 24 days");
        }
        return (uint)value.TotalMilliseconds;
    }

    public static ContainerHealth From(HealthRecord record) => new(
        record.Status switch { Protocol.HealthStatus.Healthy => HealthStatus.Healthy, Protocol.HealthStatus.Unhealthy => HealthStatus.Unhealthy, _ => HealthStatus.Starting },
        (int)record.FailingStreak,
        record.Probes.Select(p => new HealthProbe(p.StartedAt.ToDateTimeOffset(), p.FinishedAt.ToDateTimeOffset(), p.ExitCode, p.Output)).ToArray());

    /// <summary>A run whose shim has not finished a check yet.</summary>
    public static ContainerHealth NotYetChecked { get; } = new(HealthStatus.Starting, 0, []);

}
