namespace Conman.Engine.Containers;

/// <summary>
/// A container as derived at one moment: who it is, what it runs, and the facts of its current
/// or last run as its shim recorded them (run.pb, exit.pb).
/// </summary>
/// <param name="StartedAt">When runc started the current or last run; null before any did.</param>
/// <param name="FinishedAt">When the last run ended; null while running and before any run ended.</param>
/// <param name="StopRequested">The last run ended after a stop asked for through Conman, not by itself.</param>
/// <param name="RestartCount">How many times its shim restarted it since it was started (its restart policy).</param>
/// <param name="Restarting">Running, between two runs: the last one ended (ExitCode says how) and its shim runs it again soon.</param>
/// <param name="Health">A running container's health, when it has a health check.</param>
/// <param name="Paused">Running, with every process frozen (Suspend-Container).</param>
/// <param name="OomKilled">The kernel OOM-killed a process of the container during its last run.</param>
/// <param name="StateReason">Why the state is what it is, when that needs saying (Unknown, Removing).</param>
public sealed record ContainerSnapshot(
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    ContainerConfig Config,
    ContainerState State,
    int? Pid,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    int? Signal,
    bool StopRequested,
    string? StateReason,
    string LogPath,
    ulong LostLogBytes,
    bool OomKilled = false,
    bool Paused = false,
    int RestartCount = 0,
    bool Restarting = false,
    Supervision.ContainerHealth? Health = null)
{
    /// <summary>The running container's addresses and published ports; empty when it does not run.</summary>
    public Networks.ContainerNetworkSettings Network { get; init; } = Networks.ContainerNetworkSettings.None;
}
