using Conman.Engine.Containers;
using Conman.Engine.Supervision;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// How the container's runs begin and end (docker --restart, --rm; -RemoveWithSession): what
/// New-Container asks for and, checked, what the container shows.
/// </summary>
public sealed record LifetimeConfig
{
    /// <summary>When the container's shim runs it again after it exits (docker --restart).</summary>
    public RestartPolicy RestartPolicy { get; init; }
    /// <summary>With OnFailure: the most restarts (docker --restart on-failure:N); null or 0: no maximum.</summary>
    public int? MaximumRetryCount { get; init; }
    /// <summary>Its shim removes it once it has exited (docker run --rm).</summary>
    public bool AutoRemove { get; init; }
    /// <summary>Its shim kills and removes it when the session (process) that started it ends.</summary>
    public bool RemoveWithSession { get; init; }
    /// <summary>The signal a stop sends first (docker --stop-signal): "SIGINT", "INT" or "2". Shown by name, SIGTERM by default.</summary>
    public string? StopSignal { get; init; }

    /// <param name="imageStopSignal">The image's STOPSIGNAL, which -StopSignal overrides; empty: none.</param>
    internal static LifetimeDefinition Resolve(LifetimeConfig asked, string imageStopSignal) => new()
    {
        RestartPolicy = RestartPolicies.Resolve(asked.RestartPolicy, asked.MaximumRetryCount),
        AutoRemove = asked.AutoRemove,
        RemoveWithSession = asked.RemoveWithSession,
        StopSignal = asked.StopSignal is { } signal ? Signals.Parse(signal) : imageStopSignal.Length > 0 ? Signals.Parse(imageStopSignal) : 0,
    };

    internal static LifetimeConfig From(LifetimeDefinition? lifetime) => lifetime is null ? new() : new()
    {
        RestartPolicy = RestartPolicies.From(lifetime.RestartPolicy),
        MaximumRetryCount = lifetime.RestartPolicy?.MaximumRetryCount ?? 0,
        AutoRemove = lifetime.AutoRemove,
        RemoveWithSession = lifetime.RemoveWithSession,
        StopSignal = SignalName(lifetime.StopSignal == 0 ? Signals.Parse("TERM") : lifetime.StopSignal),
    };

    /// <summary>As docker inspect shows it: "SIGINT"; a real-time signal by its number.</summary>
    private static string SignalName(int signal) =>
        Signals.Names.FirstOrDefault(n => Signals.Parse(n) == signal) is { } name ? "SIG" + name : signal.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
