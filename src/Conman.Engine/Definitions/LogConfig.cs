using Conman.Engine.Logs;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// How much the container's log keeps (docker --log-opt max-size, max-file): what New-Container
/// asks for and, with kubelet's defaults, what the container shows (docs/on-disk.md, "Log rotation").
/// </summary>
public sealed record LogConfig
{
    /// <summary>The most bytes of a log file before its shim rotates it; -1 asks for no bound. Shown null without one.</summary>
    public long? MaxSize { get; init; }
    /// <summary>How many log files are kept, the one written included; shown null without a bound.</summary>
    public int? MaxFiles { get; init; }

    internal static LogRotation Resolve(LogConfig asked) => LogRotations.Resolve(asked.MaxSize, asked.MaxFiles);

    /// <summary>A record made before bounds existed gets the default at its next start, and shows it.</summary>
    internal static LogConfig From(LogRotation? rotation) =>
        LogRotations.Effective(rotation) is { HasMaxSizeBytes: true } bound ? new() { MaxSize = bound.MaxSizeBytes, MaxFiles = bound.MaxFiles } : new();
}
