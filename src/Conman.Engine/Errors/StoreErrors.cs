namespace Conman.Engine;

// The errors of the store, its locks, and what Conman needs on the host.

public static partial class ErrorIds
{
    public const string StoreFolderFailed = nameof(StoreFolderFailed);
    public const string HostIoFailed = nameof(HostIoFailed);
    public const string RootRequired = nameof(RootRequired);
    public const string RuntimeNotFound = nameof(RuntimeNotFound);
    public const string ShimNotFound = nameof(ShimNotFound);
    public const string LockTimeout = nameof(LockTimeout);
    public const string LockUnavailable = nameof(LockUnavailable);
    public const string UnusableStoreRoot = nameof(UnusableStoreRoot);
    public const string StoreNotTrusted = nameof(StoreNotTrusted);
    public const string InitNotFound = nameof(InitNotFound);
    public const string ShimNotExecutable = nameof(ShimNotExecutable);
    public const string ClaimUnreadable = nameof(ClaimUnreadable);
}

public static partial class ConmanErrors
{
    internal static ConmanException RootRequired(string root) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.RootRequired, "Conman manages containers with runc and needs root.", root);

    internal static ConmanException LockTimeout(string path) =>
        new(ConmanErrorKind.Timeout, ErrorIds.LockTimeout, $"Timed out waiting for the lock {path}.", path);

    internal static ConmanException LockUnavailable(string path, int errno) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.LockUnavailable, $"Cannot open the lock {path} (errno {errno}).", path);

    internal static ConmanException RuntimeNotFound(string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RuntimeNotFound, why, "runc");

    internal static ConmanException ShimNotFound(string path) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ShimNotFound, $"conman-shim was not found at '{path}'; the module's build is incomplete.", path);

    internal static ConmanException RootRequiredForImages(string root) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.RootRequired,
            "Conman unpacks images with their owners and device nodes and needs root.", root);

    internal static ConmanException UnusableStoreRoot(string root) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.UnusableStoreRoot,
            $"The store's root '{root}' may not contain ',', ':' or '\\' (overlayfs cannot stack its containers' layers); set CONMAN_ROOT to another folder.", root);

    internal static ConmanException StoreNotTrusted(string root, string folder, string why) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.StoreNotTrusted,
            $"The store '{root}' is refused: '{folder}' is {why}, and whoever can write there can make root run anything. " +
            "Make it root's alone (chown root, chmod go-w), or set CONMAN_ROOT to another folder.", root);

    internal static ConmanException InitNotFound() =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.InitNotFound,
            "No init to run as the container's pid 1 was found: neither catatonit nor tini is installed, and CONMAN_INIT names none.", "catatonit");

    internal static ConmanException ClaimUnreadable(string claim, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ClaimUnreadable,
            $"The host-wide claim '{claim}' of '{owner}' cannot be read, so what it holds is not known and nothing is given out until it is mended: " +
            "remove the container or network that owns it, or delete the claim if its owner no longer runs.", claim);

    /// <param name="action">What was done to it: "create", "set the mode of".</param>
    internal static ConmanException StoreFolderFailed(string folder, string action, int errno) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.StoreFolderFailed,
            $"Cannot {action} the folder '{folder}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}.", folder);

    /// <summary>A file of the store or the host that could not be read or written (a full or read-only file system, a file changed under Conman).</summary>
    /// <param name="what">What was being done: "Removing the container 'web'".</param>
    internal static ConmanException HostIoFailed(string what, string target, Exception e) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.HostIoFailed, $"{what} failed on the host: {e.Message}", target, e);
}
