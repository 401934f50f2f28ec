using Conman.Engine;

namespace Conman.Errors;

/// <summary>
/// The exit code docker and podman give when a container's (or exec's) command cannot start:
/// 127 when it does not exist, 126 when it exists but cannot be run (a folder, a file without
/// the execute bit, a binary for another machine). Scripts ported from them test for these.
/// </summary>
internal static class StartFailureExitCode
{
    public const int CommandNotFound = 127;
    public const int CommandNotRunnable = 126;

    /// <returns>The code, or null when the failure is not about the command (runc's own errors).</returns>
    public static int? For(ConmanException e) => e.ErrorId switch
    {
        ErrorIds.CommandNotFound => CommandNotFound,
        ErrorIds.CommandNotExecutable => CommandNotRunnable,
        _ => null,
    };
}
