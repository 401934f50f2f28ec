namespace Conman.Engine;

// The errors of runc, the shim, and the host resources a start sets up.

public static partial class ErrorIds
{
    public const string ContainerCreateFailed = nameof(ContainerCreateFailed);
    public const string ExecFailed = nameof(ExecFailed);
    public const string CommandNotFound = nameof(CommandNotFound);
    public const string CommandNotExecutable = nameof(CommandNotExecutable);
    public const string ShimFailed = nameof(ShimFailed);
    public const string ShimTimeout = nameof(ShimTimeout);
    public const string RuntimeFailed = nameof(RuntimeFailed);
    public const string OverlayMountFailed = nameof(OverlayMountFailed);
    public const string TooManyLayers = nameof(TooManyLayers);
    public const string IdRangesExhausted = nameof(IdRangesExhausted);
    public const string IdRangeTaken = nameof(IdRangeTaken);
    public const string UserNamespaceSetupFailed = nameof(UserNamespaceSetupFailed);
    public const string ResourcesNotReleased = nameof(ResourcesNotReleased);
    public const string ContainerStillMounted = nameof(ContainerStillMounted);
    public const string OwnershipChangeFailed = nameof(OwnershipChangeFailed);
}

public static partial class ConmanErrors
{
    internal static ConmanException ContainerCreateFailed(string runtimeError, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerCreateFailed, runtimeError, target);

    internal static ConmanException ExecFailed(string runtimeError, string name) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ExecFailed, runtimeError, name);

    /// <param name="runtimeError">runc's words, kept for what they say beyond the reason.</param>
    internal static ConmanException CommandNotFound(string command, string name, string runtimeError) =>
        new(ConmanErrorKind.NotFound, ErrorIds.CommandNotFound,
            $"The command '{command}' of '{name}' does not exist in the container (no such file, or not in its PATH): {runtimeError}", name);

    internal static ConmanException CommandNotExecutable(string command, string name, string runtimeError) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.CommandNotExecutable,
            $"The command '{command}' of '{name}' exists in the container but cannot be run (a folder, no execute permission, or a binary for another machine): {runtimeError}", name);

    internal static ConmanException ShimFailed(string why, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ShimFailed, why, target);

    internal static ConmanException ShimTimeout(string why, string target) =>
        new(ConmanErrorKind.Timeout, ErrorIds.ShimTimeout, why, target);

    internal static ConmanException RuntimeFailed(string runtimeError, string id) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.RuntimeFailed, runtimeError, id);

    internal static ConmanException OverlayMountFailed(string merged, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.OverlayMountFailed, $"Cannot mount the overlay for {merged} (errno {errno}: {why}).", merged);

    internal static ConmanException TooManyLayers(string merged, int layers, int length, int limit) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.TooManyLayers,
            $"The {layers} layers of {merged} make overlay options longer than the kernel takes ({length} bytes; {limit} at most).", merged);

    internal static ConmanException IdRangesExhausted(uint size, string pool) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.IdRangesExhausted,
            $"No free range of {size} ids is left in {pool} for a user namespace of its own (auto); remove containers that use one, or give 'containers' more ids in /etc/subuid and /etc/subgid.", pool);

    internal static ConmanException IdRangeTaken(string container, string range, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.IdRangeTaken,
            $"The host ids {range} of container '{container}' are now used by another container ({owner}).", container);

    internal static ConmanException UserNamespaceSetupFailed(string path, string step, int errno) =>
        UserNamespaceSetupFailed(path, step, errno, System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno));

    internal static ConmanException UserNamespaceSetupFailed(string path, string step, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.UserNamespaceSetupFailed,
            $"Cannot give {path} the container's user namespace ({step}, errno {errno}: {why}).", path);

    internal static ConmanException ResourcesNotReleased(string container, IReadOnlyList<string> failures) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ResourcesNotReleased,
            $"What the container '{container}' holds on the host could not all be released: {string.Join("; ", failures)}. It stays until the next removal.", container);

    internal static ConmanException StillMounted(string container, string folder) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ContainerStillMounted,
            $"Something is still mounted in {folder}, so the removal of '{container}' stops before it; the container stays Removing until a removal finds it gone.", container);

    /// <summary>A mount given with ":U" whose files could not all be given to the container's user.</summary>
    internal static ConmanException OwnershipChangeFailed(string path, int errno) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.OwnershipChangeFailed,
            $"Cannot give {path} to the container's user (errno {errno}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}).", path);
}
