using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Errors;

/// <summary>
/// The error ids the cmdlet layer raises itself, beside the engine's (<see cref="ErrorIds"/>):
/// what only a cmdlet can find wrong, a timeout it keeps, a terminal it needs.
/// </summary>
internal static class CmdletErrorIds
{
    public const string WaitTimeout = nameof(WaitTimeout);
    public const string InvalidDetachKeys = nameof(InvalidDetachKeys);
    public const string NoInteractiveTerminal = nameof(NoInteractiveTerminal);
    /// <summary>
    /// Not a failure: a line an attached container wrote to its stderr. PowerShell's own id for a
    /// native command's stderr line, which its error view shows as the plain line, not an error block.
    /// </summary>
    public const string StderrLine = "NativeCommandErrorMessage";

    // Scripting (issue 12).
    /// <summary>A container or exec exited non-zero while $PSNativeCommandUseErrorActionPreference is on.</summary>
    public const string NonZeroExitCode = nameof(NonZeroExitCode);
    public const string HttpPathNeedsPort = nameof(HttpPathNeedsPort);

    // Scripting that never surprises (issue 22).
    /// <summary>A prune (-Unused) asked for confirmation where nobody can answer.</summary>
    public const string PruneNotConfirmed = nameof(PruneNotConfirmed);
    /// <summary>PowerShell's own id for a parameter that does not exist, which a command may not start with.</summary>
    public const string NamedParameterNotFound = nameof(NamedParameterNotFound);
    /// <summary>Invoke-Container -Detach with a switch that needs an attached run.</summary>
    public const string DetachedRunConflict = nameof(DetachedRunConflict);
    public const string EnvironmentFileUnreadable = nameof(EnvironmentFileUnreadable);
    public const string PortNotPublished = nameof(PortNotPublished);
}

/// <summary>The cmdlet layer's errors, one factory each, as <see cref="ConmanErrors"/> has the engine's.</summary>
internal static class CmdletErrors
{
    public static ConmanException WaitTimeout(string name, int? seconds) =>
        new(ConmanErrorKind.Timeout, CmdletErrorIds.WaitTimeout, $"The container '{name}' had not exited after {seconds} s.", name);

    public static ConmanException InvalidDetachKeys(string keys, string why) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.InvalidDetachKeys, why, keys);

    /// <summary>Enter-Container takes a created or running container; with a command, a running one.</summary>
    public static ConmanException CannotEnter(string name, ContainerState state) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning,
            $"The container '{name}' is {state}.", name);

    /// <summary>Get-ContainerStatistic -Name of a container that has no cgroup to read.</summary>
    public static ConmanException NoStatsWhileNotRunning(string name, ContainerState state) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' is {state}: only a running one has stats.", name);

    public static ConmanException NoInteractiveTerminal(string target) =>
        new(ConmanErrorKind.InvalidState, CmdletErrorIds.NoInteractiveTerminal,
            "Enter-Container needs an interactive terminal. From scripts, redirected input or output, or remoting, use Start-Container -Attach or Invoke-Container.", target);

    /// <summary>As PowerShell's ProgramExitedWithNonZeroCode for a native command.</summary>
    public static ConmanException NonZeroExitCode(string name, int exitCode) =>
        new(ConmanErrorKind.RuntimeFailed, CmdletErrorIds.NonZeroExitCode, $"The process in '{name}' ended with non-zero exit code: {exitCode}.", name);

    public static ConmanException CommandStartsWithParameter(string cmdlet, string parameter, string? closest) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.NamedParameterNotFound,
            $"{cmdlet} has no parameter -{parameter}{(closest is null ? "" : $": did you mean -{closest}?")} The container's command starts after the image with a word that is not a parameter, or after --.",
            "-" + parameter);

    public static ConmanException DetachedRunConflict(string parameter) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.DetachedRunConflict,
            $"-Detach starts the container in the background and returns it; -{parameter} is for a run Invoke-Container attaches to.", "-" + parameter);

    public static ConmanException EnvironmentFileUnreadable(string file, string why) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.EnvironmentFileUnreadable, $"The environment file '{file}' could not be read: {why}", file);

    /// <summary>Get-ContainerPort of a container that has no host ports, not running.</summary>
    public static ConmanException NoPortsWhileNotRunning(string name, ContainerState state) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' is {state}: only a running one has host ports.", name);

    public static ConmanException PortNotPublished(string name, int port, string protocol) =>
        new(ConmanErrorKind.NotFound, CmdletErrorIds.PortNotPublished, $"The container '{name}' does not publish its port {port}/{protocol}.", $"{port}/{protocol}");

    public static ConmanException PruneNotConfirmed(string what, int count) =>
        new(ConmanErrorKind.InvalidState, CmdletErrorIds.PruneNotConfirmed,
            $"Removing {count} unused {what} needs a confirmation, and this session cannot ask for one: nothing was removed.", what);

    public static ConmanException HttpOptionNeedsPath(string parameter) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.HttpPathNeedsPort, $"-{parameter} is a condition of an HTTP check: it needs -Port and -HttpPath.", "-" + parameter);

    public static ConmanException HttpPathNeedsPort(string path) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.HttpPathNeedsPort, $"-HttpPath {path} needs -Port: the port in the container that serves it.", path);

    /// <summary>The exec's shim cut this session off (see ConmanErrors.AttachCutOff for a container's).</summary>
    public static ConmanException ExecAttachCutOff(string name) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AttachCutOff,
            $"The command's output came faster than this session read it, and the attachment was cut off; the command runs on in '{name}'.", name);

    /// <summary>The exec's shim died without recording the command's end (killed): not a session cut off.</summary>
    public static ConmanException ExecLost(string name, string reason) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ExecLost, $"The command run in '{name}' ended unknown: {reason}.", name);
}
