using Conman.Engine.Containers;

namespace Conman.Engine;

// The errors of containers: which one, and what its state allows.

public static partial class ErrorIds
{
    public const string ContainerNotFound = nameof(ContainerNotFound);
    public const string AmbiguousContainerId = nameof(AmbiguousContainerId);
    public const string ContainerNameInUse = nameof(ContainerNameInUse);
    public const string ContainerAlreadyRunning = nameof(ContainerAlreadyRunning);
    public const string ContainerNotRunning = nameof(ContainerNotRunning);
    public const string ContainerRunning = nameof(ContainerRunning);
    public const string ContainerRemoving = nameof(ContainerRemoving);
    public const string ContainerRecordUnreadable = nameof(ContainerRecordUnreadable);
    public const string AttachCutOff = nameof(AttachCutOff);
    public const string ContainerLost = nameof(ContainerLost);
    public const string ContainerRemoved = nameof(ContainerRemoved);
    public const string ExecLost = nameof(ExecLost);
    public const string ContainerPaused = nameof(ContainerPaused);
    public const string ContainerNotPaused = nameof(ContainerNotPaused);
    public const string NetworkOwnerNotRunning = nameof(NetworkOwnerNotRunning);
    public const string NetworkOwnerGone = nameof(NetworkOwnerGone);
    public const string ContainerHasDependents = nameof(ContainerHasDependents);
    public const string ReadinessTimeout = nameof(ReadinessTimeout);
    public const string ExitedBeforeReady = nameof(ExitedBeforeReady);
    public const string InvalidLogPattern = nameof(InvalidLogPattern);
    public const string NoHealthCheck = nameof(NoHealthCheck);
    public const string InvalidRunTimeout = nameof(InvalidRunTimeout);
}

public static partial class ConmanErrors
{
    public static ConmanException ContainerNotFound(string idOrName) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerNotFound, $"No container with the name or id '{idOrName}' was found.", idOrName);

    internal static ConmanException AmbiguousContainerId(string prefix, int matches) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.AmbiguousContainerId, $"The id prefix '{prefix}' matches {matches} containers; give more of it.", prefix);

    internal static ConmanException ContainerNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.ContainerNameInUse, $"The name '{name}' is already used by another container.", name);

    internal static ConmanException ContainerAlreadyRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerAlreadyRunning, $"The container '{name}' is already running.", name);

    internal static ConmanException ContainerNotRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' is not running.", name);

    internal static ConmanException ContainerStoppedRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' stopped running.", name);

    internal static ConmanException ContainerRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerRunning, $"The container '{name}' is running.", name);

    internal static ConmanException ContainerRecordUnreadable(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerRecordUnreadable, $"The record of the container '{name}' cannot be read: what it runs is not known.", name);

    internal static ConmanException ContainerRemoving(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerRemoving, $"The container '{name}' is being removed: a removal began and did not finish.", name);

    internal static ConmanException AttachCutOff(string name) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AttachCutOff,
            $"The output of '{name}' came faster than this session read it, and the attachment was cut off; the container runs on and its log has everything.", name);

    internal static ConmanException ContainerLost(string name, string? reason) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerLost, $"The container '{name}' is in an unknown state: {reason}.", name);

    internal static ConmanException ContainerRemoved(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerRemoved, $"The container '{name}' was removed before its run's end could be learnt.", name);

    internal static ConmanException ContainerPaused(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerPaused, $"The container '{name}' is already paused.", name);

    internal static ConmanException ContainerNotPaused(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotPaused, $"The container '{name}' is not paused.", name);

    internal static ConmanException NetworkOwnerNotRunning(string container, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NetworkOwnerNotRunning,
            $"The container '{container}' joins the network of '{owner}', which is not running.", container);

    internal static ConmanException NetworkOwnerGone(string container, string owner) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkOwnerGone,
            $"The container '{container}' joins the network of the container {owner}, which is gone.", container);

    internal static ConmanException ContainerHasDependents(string container, IEnumerable<string> dependents) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerHasDependents,
            $"The container '{container}' has containers on its network: {string.Join(", ", dependents)}. Remove them first.", container);

    internal static ConmanException ReadinessTimeout(string name, TimeSpan timeout, string waitingFor, IReadOnlyList<string> lastLines) =>
        new(ConmanErrorKind.Timeout, ErrorIds.ReadinessTimeout,
            $"The container '{name}' was not ready after {timeout.TotalSeconds:0.###} s: no {waitingFor}.{LogExcerpt(lastLines)}", name);

    /// <summary>Waiting until ready for a container that was never started in that time.</summary>
    internal static ConmanException NotRunningToBeReady(string name, TimeSpan timeout) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning,
            $"The container '{name}' was not started in {timeout.TotalSeconds:0.###} s (it is Created): only a running container becomes ready.", name);

    internal static ConmanException ExitedBeforeReady(string name, string state, string waitingFor, IReadOnlyList<string> lastLines) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ExitedBeforeReady,
            $"The container '{name}' stopped running ({state}) while waiting for {waitingFor}.{LogExcerpt(lastLines)}", name);

    internal static ConmanException InvalidLogPattern(string pattern, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLogPattern, $"The log pattern '{pattern}' is not a regular expression: {why}", pattern);

    internal static ConmanException NoHealthCheck(string container) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NoHealthCheck, $"'{container}' has no health check to wait for: it needs one (its own, or its image's HEALTHCHECK) from its creation.", container);

    internal static ConmanException InvalidRunTimeout(TimeSpan timeout) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRunTimeout, $"A run's timeout is a time from its start, more than zero (none is null), not {timeout}.", timeout.ToString());

    private static string LogExcerpt(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? " It logged nothing." : $" Its last log lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => "  " + l))}";
}
