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
    public const string AttachLost = nameof(AttachLost);
    /// <summary>Not a failure: a line an attached container wrote to its stderr.</summary>
    public const string ContainerStderr = nameof(ContainerStderr);

    // Scripting (issue 12).
    /// <summary>A container or exec exited non-zero while $PSNativeCommandUseErrorActionPreference is on.</summary>
    public const string NonZeroExitCode = nameof(NonZeroExitCode);
    /// <summary>Wait-ContainerReady: not ready in time, or exited first; the message carries the last log lines.</summary>
    public const string ReadinessTimeout = nameof(ReadinessTimeout);
    public const string ExitedBeforeReady = nameof(ExitedBeforeReady);
    public const string InvalidLogPattern = nameof(InvalidLogPattern);
    public const string HttpPathNeedsPort = nameof(HttpPathNeedsPort);
    public const string NoHealthCheck = nameof(NoHealthCheck);
    public const string RestartPolicyWithoutKeep = nameof(RestartPolicyWithoutKeep);
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

    /// <summary>Get-ContainerStats -Name of a container that has no cgroup to read.</summary>
    public static ConmanException NoStatsWhileNotRunning(string name, ContainerState state) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' is {state}: only a running one has stats.", name);

    public static ConmanException RestartPolicyWithoutKeep(Engine.Supervision.RestartPolicy policy) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.RestartPolicyWithoutKeep,
            $"Invoke-Container removes the container when it exits, so -RestartPolicy {policy} could never restart it: add -Keep, or use New-Container and Start-Container.", policy.ToString());

    public static ConmanException NoInteractiveTerminal(string target) =>
        new(ConmanErrorKind.InvalidState, CmdletErrorIds.NoInteractiveTerminal,
            "Enter-Container needs an interactive terminal. From scripts, redirected input or output, or remoting, use Start-Container -Attach or Invoke-Container.", target);

    public static ConmanException AttachLost(string name, ContainerState state, string? reason) =>
        new(ConmanErrorKind.RuntimeFailed, CmdletErrorIds.AttachLost,
            $"The connection to '{name}' ended; it is {state}{(reason is null ? "" : $": {reason}")}.", name);

    /// <summary>As PowerShell's ProgramExitedWithNonZeroCode for a native command.</summary>
    public static ConmanException NonZeroExitCode(string name, int exitCode) =>
        new(ConmanErrorKind.RuntimeFailed, CmdletErrorIds.NonZeroExitCode, $"The process in '{name}' ended with non-zero exit code: {exitCode}.", name);

    public static ConmanException ReadinessTimeout(string name, int seconds, string waitingFor, IReadOnlyList<string> lastLines) =>
        new(ConmanErrorKind.Timeout, CmdletErrorIds.ReadinessTimeout,
            $"The container '{name}' was not ready after {seconds} s: no {waitingFor}.{LogExcerpt(lastLines)}", name);

    public static ConmanException ExitedBeforeReady(string name, string status, string waitingFor, IReadOnlyList<string> lastLines) =>
        new(ConmanErrorKind.InvalidState, CmdletErrorIds.ExitedBeforeReady,
            $"The container '{name}' stopped running ({status}) while waiting for {waitingFor}.{LogExcerpt(lastLines)}", name);

    public static ConmanException InvalidLogPattern(string pattern, string why) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.InvalidLogPattern, $"The log pattern '{pattern}' is not a regular expression: {why}", pattern);

    public static ConmanException HttpPathNeedsPort(string path) =>
        new(ConmanErrorKind.InvalidArgument, CmdletErrorIds.HttpPathNeedsPort, $"-HttpPath {path} needs -Port: the port in the container that serves it.", path);

    public static ConmanException NoHealthCheck(string container) =>
        new(ConmanErrorKind.InvalidState, CmdletErrorIds.NoHealthCheck,
            $"'{container}' has no health check to wait for: give it one (-HealthCommand, or an image's HEALTHCHECK) when it is created.", container);

    private static string LogExcerpt(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? " It logged nothing." : $" Its last log lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => "  " + l))}";

    /// <summary>The exec's shim cut this session off (see ConmanErrors.AttachCutOff for a container's).</summary>
    public static ConmanException ExecAttachCutOff(string name) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AttachCutOff,
            $"The command's output came faster than this session read it, and the attachment was cut off; the command runs on in '{name}'.", name);

    /// <summary>The exec's shim died without recording the command's end (killed): not a session cut off.</summary>
    public static ConmanException ExecLost(string name, string reason) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ExecLost, $"The command run in '{name}' ended unknown: {reason}.", name);
}
