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
    public static int? For(ConmanException e)
    {
        if (e.ErrorId is not (ErrorIds.ContainerCreateFailed or ErrorIds.ExecFailed)) return null;
        // runc's wording: `unable to start container process: exec: "x": <why>`.
        int exec = e.Message.IndexOf("exec: \"", StringComparison.Ordinal);
        if (exec < 0) return null;
        string why = e.Message[exec..];
        return why.Contains("executable file not found", StringComparison.Ordinal) || why.Contains("no such file or directory", StringComparison.Ordinal)
            ? CommandNotFound
            : CommandNotRunnable;
    }
}
