using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>A container's record with its state as derived at one moment.</summary>
public sealed record ContainerSnapshot(
    ContainerRecord Record,
    ContainerState State,
    int? Pid,
    int? ExitCode,
    int? Signal,
    DateTimeOffset? FinishedAt,
    string? StateReason,
    string LogPath,
    ulong LostLogBytes = 0)
{
    public string Id => Record.Id;
    public string Name => Record.Name;
}
