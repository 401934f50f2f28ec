namespace Conman.Engine;

// The errors of what New-Container is asked: each concern of a definition.

public static partial class ErrorIds
{
    public const string InvalidContainerName = nameof(InvalidContainerName);
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
    public const string InvalidNetworkMode = nameof(InvalidNetworkMode);
    public const string InvalidPortSpec = nameof(InvalidPortSpec);
    public const string RestartPolicyWithoutKeep = nameof(RestartPolicyWithoutKeep);
    public const string InvalidSecurityOption = nameof(InvalidSecurityOption);
    public const string InvalidCapability = nameof(InvalidCapability);
    public const string InvalidTmpfs = nameof(InvalidTmpfs);
    public const string InvalidMount = nameof(InvalidMount);
    public const string InvalidSize = nameof(InvalidSize);
    public const string InvalidResourceLimit = nameof(InvalidResourceLimit);
    public const string InvalidRestartPolicy = nameof(InvalidRestartPolicy);
    public const string InvalidHealthCheck = nameof(InvalidHealthCheck);
    public const string InvalidLogOption = nameof(InvalidLogOption);
    public const string InvalidDevice = nameof(InvalidDevice);
    public const string InvalidUserNamespace = nameof(InvalidUserNamespace);
}

public static partial class ConmanErrors
{
    internal static ConmanException InvalidContainerName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerName,
            $"'{name}' is not a valid container name: use 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit.", name);

    internal static ConmanException RootFsOrImageRequired(string? name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.RootFsOrImageRequired, "Give a container either a root filesystem folder or an image.", name);

    internal static ConmanException RootFsNotFound(string rootFs) =>
        new(ConmanErrorKind.NotFound, ErrorIds.RootFsNotFound, $"The root filesystem folder '{rootFs}' does not exist.", rootFs);

    internal static ConmanException InvalidRootFsPath(string rootFs) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRootFsPath,
            $"The root filesystem path '{rootFs}' may not contain ',', ':' or '\\' (overlayfs cannot use it).", rootFs);

    internal static ConmanException EmptyCommand(string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, "The command may not be empty.", target);

    internal static ConmanException ImageHasNoCommand(string image, string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, $"The image {image} has no command to run; give one.", target);

    internal static ConmanException InvalidEnvironment(string key) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidEnvironment, $"'{key}' is not a valid environment variable name.", key);

    internal static ConmanException InvalidWorkingDirectory(string workingDirectory) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidWorkingDirectory, $"The working directory '{workingDirectory}' must be absolute.", workingDirectory);

    internal static ConmanException InvalidHostname(string hostname) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHostname, $"'{hostname}' is not a valid host name.", hostname);

    internal static ConmanException InvalidUser(string user, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidUser, $"Invalid user '{user}': {why}.", user);

    internal static ConmanException InvalidMount(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidMount, $"Invalid mount '{spec}': {why}.", spec);

    internal static ConmanException InvalidVolumeSpec(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidVolumeSpec, $"Invalid volume '{spec}': {why}.", spec);

    internal static ConmanException InvalidSignal(string signal) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSignal,
            $"'{signal}' is not a signal: use a name such as TERM, SIGKILL or HUP, or a number from 1 to 64.", signal);

    internal static ConmanException InvalidNetworkMode(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidNetworkMode, $"Invalid network setting '{value}': {why}.", value);

    internal static ConmanException InvalidPortSpec(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidPortSpec,
            $"'{spec}' is not a valid port to publish ([hostIp:][hostPort:]containerPort[/tcp|udp], ports or ranges 1-65535): {why}.", spec);

    internal static ConmanException CommandHasNul(string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, "The command may not contain a NUL character.", target);

    internal static ConmanException EnvironmentValueHasNul(string key) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidEnvironment, $"The value of the environment variable '{key}' may not contain a NUL character.", key);

    internal static ConmanException InvalidSecurityOption(string option, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSecurityOption, $"Invalid security option '{option}': {why}.", option);

    internal static ConmanException InvalidCapability(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCapability,
            $"'{name}' is not a Linux capability: use a name such as NET_ADMIN or CAP_SYS_TIME, or ALL.", name);

    internal static ConmanException InvalidTmpfs(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidTmpfs, $"Invalid tmpfs '{spec}': {why}.", spec);

    internal static ConmanException InvalidSize(string text, string what) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSize,
            $"'{text}' is not a size for {what}: give bytes, or a number with k, m, g or t (binary multiples), such as 64m or 1.5g.", text);

    internal static ConmanException InvalidResourceLimit(string limit, string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidResourceLimit, $"Invalid {limit} '{value}': {why}.", value);

    internal static ConmanException InvalidRestartPolicy(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRestartPolicy, $"Invalid restart policy '{value}': {why}.", value);

    internal static ConmanException InvalidHealthCheck(string setting, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHealthCheck, $"Invalid {setting}: {why}.", setting);

    /// <param name="option">The option, as LogConfig names it: MaxSize, MaxFiles.</param>
    internal static ConmanException InvalidLogOption(string option, string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLogOption, $"Invalid log {option} '{value}': {why}.", value);
    internal static ConmanException ShimNotExecutable(string path, string why) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.ShimNotExecutable,
            $"conman-shim at '{path}' is not executable, and making it so failed: {why}. Run: chmod 755 '{path}'.", path);

    internal static ConmanException InvalidDevice(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidDevice, $"Invalid device '{spec}': {why}.", spec);

    internal static ConmanException InvalidUserNamespace(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidUserNamespace, $"Invalid user namespace '{spec}': {why}.", spec);

    /// <summary>A run that removes its container at exit (docker run --rm) with a restart policy, as docker run refuses --rm with --restart.</summary>
    internal static ConmanException RestartPolicyWithoutKeep(Supervision.RestartPolicy policy) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.RestartPolicyWithoutKeep,
            $"A run that removes its container when it exits could never restart it by its policy {policy}: keep the container, or create and start it.", policy.ToString());
}
