using System.Globalization;
using Conman.Protocol;

namespace Conman.Engine.Logs;

/// <summary>
/// A container's log bound between its forms: what New-Container asks for (-LogMaxSize,
/// -LogMaxFiles, docker --log-opt max-size and max-file) and the definition's record, which the
/// shim is given (ShimConfig) and which it rotates by (docs/on-disk.md).
/// </summary>
internal static class LogRotations
{
    /// <summary>kubelet's containerLogMaxSize and containerLogMaxFiles, for the same CRI log: at most 50 MiB a container.</summary>
    public const long DefaultMaxSizeBytes = 10L * 1024 * 1024;
    public const int DefaultMaxFiles = 5;
    /// <summary>
    /// A file smaller than one read of output (64 KiB, the shim's buffer) would hold a single
    /// entry at times, past its size, and cost a rotation for each.
    /// </summary>
    public const long MinimumMaxSizeBytes = 64 * 1024;
    /// <summary>A reader keeps every file of the log open while it reads them.</summary>
    public const int MaximumMaxFiles = 100;

    /// <summary>Checked at create; nothing given is the default bound.</summary>
    /// <param name="maxSizeBytes">-1: no bound at all, as docker's json-file driver without max-size.</param>
    public static LogRotation Resolve(long? maxSizeBytes, int? maxFiles)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (maxSizeBytes == -1)
        {
            if (maxFiles is int files) throw ConmanErrors.InvalidLogOption("MaxFiles", files.ToString(invariant), "a log without a size bound (-1) is one file, so there is nothing to rotate");
            return new LogRotation();
        }
        var rotation = new LogRotation { MaxSizeBytes = maxSizeBytes ?? DefaultMaxSizeBytes, MaxFiles = maxFiles ?? DefaultMaxFiles };
        if (rotation.MaxSizeBytes < MinimumMaxSizeBytes)
        {
            throw ConmanErrors.InvalidLogOption("MaxSize", rotation.MaxSizeBytes.ToString(invariant), "give at least 64 KiB (65536 bytes), or -1 for no bound");
        }
        if (rotation.MaxFiles is < 1 or > MaximumMaxFiles)
        {
            throw ConmanErrors.InvalidLogOption("MaxFiles", rotation.MaxFiles.ToString(invariant), $"give from 1 (the file written only) to {MaximumMaxFiles}");
        }
        return rotation;
    }

    /// <summary>The bound a start gives the shim: the definition's, or the default for a record made before bounds existed.</summary>
    public static LogRotation Effective(LogRotation? kept) => kept ?? Resolve(null, null);

}
