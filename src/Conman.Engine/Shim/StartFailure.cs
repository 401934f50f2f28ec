namespace Conman.Engine.Shim;

/// <summary>
/// Why a container's or an exec's process could not start, from runc's report, as an error of
/// its own: the command does not exist (docker and podman exit 127), exists but cannot be run
/// (126), or runc failed otherwise. Callers and scripts tell them apart by id, not by runc's words.
/// </summary>
internal static class StartFailure
{
    /// <param name="exec">An exec's process rather than the container's.</param>
    public static ConmanException Of(string runtimeError, string name, bool exec)
    {
        if (FailedCommand(runtimeError) is not { } failed) return exec ? ConmanErrors.ExecFailed(runtimeError, name) : ConmanErrors.ContainerCreateFailed(runtimeError, name);
        return failed.Why.Contains("executable file not found", StringComparison.Ordinal) || failed.Why.Contains("no such file or directory", StringComparison.Ordinal)
            ? ConmanErrors.CommandNotFound(failed.Command, name, runtimeError)
            : ConmanErrors.CommandNotExecutable(failed.Command, name, runtimeError);
    }

    /// <summary>runc's wording for a process it could not exec: `unable to start container process: exec: "x": &lt;why&gt;`.</summary>
    private static (string Command, string Why)? FailedCommand(string runtimeError)
    {
        const string Marker = "exec: \"";
        int at = runtimeError.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at + Marker.Length;
        int end = runtimeError.IndexOf('"', start);
        if (end < 0) return null;
        return (runtimeError[start..end], runtimeError[end..]);
    }
}
