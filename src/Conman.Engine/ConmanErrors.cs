namespace Conman.Engine;

/// <summary>
/// Every error id the engine raises: they become PowerShell's FullyQualifiedErrorId, and callers
/// (the cmdlets, tests) compare against these constants, never against string literals.
/// </summary>
public static class ErrorIds
{
    public const string RootRequired = nameof(RootRequired);
    public const string RuntimeNotFound = nameof(RuntimeNotFound);
    public const string ShimNotFound = nameof(ShimNotFound);
    public const string LockTimeout = nameof(LockTimeout);
    public const string LockUnavailable = nameof(LockUnavailable);

    public const string ContainerNotFound = nameof(ContainerNotFound);
    public const string AmbiguousContainerId = nameof(AmbiguousContainerId);
    public const string InvalidContainerName = nameof(InvalidContainerName);
    public const string ContainerNameInUse = nameof(ContainerNameInUse);
    public const string RootFsOrImageRequired = nameof(RootFsOrImageRequired);
    public const string RootFsNotFound = nameof(RootFsNotFound);
    public const string InvalidRootFsPath = nameof(InvalidRootFsPath);
    public const string InvalidCommand = nameof(InvalidCommand);
    public const string InvalidEnvironment = nameof(InvalidEnvironment);
    public const string InvalidWorkingDirectory = nameof(InvalidWorkingDirectory);
    public const string InvalidHostname = nameof(InvalidHostname);
    public const string InvalidUser = nameof(InvalidUser);
    public const string InvalidVolumeSpec = nameof(InvalidVolumeSpec);
    public const string InvalidSignal = nameof(InvalidSignal);

    public const string ContainerAlreadyRunning = nameof(ContainerAlreadyRunning);
    public const string ContainerNotRunning = nameof(ContainerNotRunning);
    public const string ContainerRunning = nameof(ContainerRunning);
    public const string ContainerRemoving = nameof(ContainerRemoving);
    public const string ContainerCreateFailed = nameof(ContainerCreateFailed);
    public const string ExecFailed = nameof(ExecFailed);
    public const string ShimFailed = nameof(ShimFailed);
    public const string ShimTimeout = nameof(ShimTimeout);
    public const string RuntimeFailed = nameof(RuntimeFailed);
    public const string OverlayMountFailed = nameof(OverlayMountFailed);
    public const string TooManyLayers = nameof(TooManyLayers);
    public const string StopTimeout = nameof(StopTimeout);
    public const string AttachCutOff = nameof(AttachCutOff);
    public const string ContainerLost = nameof(ContainerLost);
    public const string ContainerRemoved = nameof(ContainerRemoved);
}

/// <summary>
/// The container errors, one factory each, with the message a user reads. Messages say what is
/// wrong in the container's terms; what to do next in PowerShell (which cmdlet, which switch) is
/// the cmdlet layer's to add, by id (ErrorAdvice).
/// </summary>
public static class ConmanErrors
{
    public static ConmanException RootRequired(string root) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.RootRequired, "Conman manages containers with runc and needs root.", root);

    public static ConmanException LockTimeout(string path) =>
        new(ConmanErrorKind.Timeout, ErrorIds.LockTimeout, $"Timed out waiting for the lock {path}.", path);

    public static ConmanException LockUnavailable(string path, int errno) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.LockUnavailable, $"Cannot open the lock {path} (errno {errno}).", path);

    public static ConmanException ContainerNotFound(string idOrName) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerNotFound, $"No container with the name or id '{idOrName}' was found.", idOrName);

    public static ConmanException AmbiguousContainerId(string prefix, int matches) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.AmbiguousContainerId, $"The id prefix '{prefix}' matches {matches} containers; give more of it.", prefix);

    public static ConmanException InvalidContainerName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerName,
            $"'{name}' is not a valid container name: use 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit.", name);

    public static ConmanException ContainerNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.ContainerNameInUse, $"The name '{name}' is already used by another container.", name);

    public static ConmanException RootFsOrImageRequired(string? name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.RootFsOrImageRequired, "Give a container either a root filesystem folder or an image.", name);

    public static ConmanException RootFsNotFound(string rootFs) =>
        new(ConmanErrorKind.NotFound, ErrorIds.RootFsNotFound, $"The root filesystem folder '{rootFs}' does not exist.", rootFs);

    public static ConmanException InvalidRootFsPath(string rootFs) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRootFsPath,
            $"The root filesystem path '{rootFs}' may not contain ',', ':' or '\\' (overlayfs cannot use it).", rootFs);

    public static ConmanException EmptyCommand(string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, "The command may not be empty.", target);

    public static ConmanException ImageHasNoCommand(string image, string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, $"The image {image} has no command to run; give one.", target);

    public static ConmanException InvalidEnvironment(string key) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidEnvironment, $"'{key}' is not a valid environment variable name.", key);

    public static ConmanException InvalidWorkingDirectory(string workingDirectory) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidWorkingDirectory, $"The working directory '{workingDirectory}' must be absolute.", workingDirectory);

    public static ConmanException InvalidHostname(string hostname) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHostname, $"'{hostname}' is not a valid host name.", hostname);

    public static ConmanException InvalidUser(string user, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidUser, $"Invalid user '{user}': {why}.", user);

    public static ConmanException InvalidVolumeSpec(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidVolumeSpec, $"Invalid volume '{spec}': {why}.", spec);

    public static ConmanException InvalidSignal(string signal) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSignal, $"'{signal}' is not a signal name or number (1-64).", signal);

    public static ConmanException ContainerAlreadyRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerAlreadyRunning, $"The container '{name}' is already running.", name);

    public static ConmanException ContainerNotRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' is not running.", name);

    public static ConmanException ContainerStoppedRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotRunning, $"The container '{name}' stopped running.", name);

    public static ConmanException ContainerRunning(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerRunning, $"The container '{name}' is running: stop it first, or remove it by force.", name);

    public static ConmanException ContainerRemoving(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerRemoving, $"The container '{name}' is being removed; finish its removal.", name);

    public static ConmanException ContainerCreateFailed(string runtimeError, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerCreateFailed, runtimeError, target);

    public static ConmanException ExecFailed(string runtimeError, string name) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ExecFailed, runtimeError, name);

    public static ConmanException ShimFailed(string why, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ShimFailed, why, target);

    public static ConmanException ShimTimeout(string why, string target) =>
        new(ConmanErrorKind.Timeout, ErrorIds.ShimTimeout, why, target);

    public static ConmanException RuntimeFailed(string runtimeError, string id) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.RuntimeFailed, runtimeError, id);

    public static ConmanException RuntimeNotFound(string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RuntimeNotFound, why, "runc");

    public static ConmanException ShimNotFound(string path) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ShimNotFound, $"conman-shim was not found at '{path}'; the module's build is incomplete.", path);

    public static ConmanException OverlayMountFailed(string merged, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.OverlayMountFailed, $"Cannot mount the overlay for {merged} (errno {errno}: {why}).", merged);

    public static ConmanException TooManyLayers(string merged, int layers, int length, int limit) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.TooManyLayers,
            $"The {layers} layers of {merged} make overlay options longer than the kernel takes ({length} bytes; {limit} at most).", merged);

    public static ConmanException AttachCutOff(string name) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AttachCutOff,
            $"The output of '{name}' came faster than this session read it, and the attachment was cut off; the container runs on and its log has everything.", name);

    public static ConmanException ContainerLost(string name, string? reason) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerLost, $"The container '{name}' is in an unknown state: {reason}.", name);

    public static ConmanException ContainerRemoved(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerRemoved, $"The container '{name}' was removed before its run's end could be learnt.", name);
}
