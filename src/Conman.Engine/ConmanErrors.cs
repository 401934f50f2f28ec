using Conman.Engine.Images;

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
    public const string ContainerRecordUnreadable = nameof(ContainerRecordUnreadable);
    public const string ContainerCreateFailed = nameof(ContainerCreateFailed);
    public const string ExecFailed = nameof(ExecFailed);
    public const string ShimFailed = nameof(ShimFailed);
    public const string ShimTimeout = nameof(ShimTimeout);
    public const string RuntimeFailed = nameof(RuntimeFailed);
    public const string OverlayMountFailed = nameof(OverlayMountFailed);
    public const string TooManyLayers = nameof(TooManyLayers);
    public const string AttachCutOff = nameof(AttachCutOff);
    public const string ContainerLost = nameof(ContainerLost);
    public const string ContainerRemoved = nameof(ContainerRemoved);

    public const string InvalidImageReference = nameof(InvalidImageReference);
    public const string InvalidImageName = nameof(InvalidImageName);
    public const string InvalidDigest = nameof(InvalidDigest);
    public const string ImageNotFound = nameof(ImageNotFound);
    public const string AmbiguousImageId = nameof(AmbiguousImageId);
    public const string ImageInUse = nameof(ImageInUse);
    public const string ImageNameRequired = nameof(ImageNameRequired);
    public const string ImageNameAmbiguous = nameof(ImageNameAmbiguous);
    public const string ImagePathNotFound = nameof(ImagePathNotFound);
    public const string InvalidImageArchive = nameof(InvalidImageArchive);
    public const string InvalidImageDocument = nameof(InvalidImageDocument);
    public const string NoMatchingPlatform = nameof(NoMatchingPlatform);
    public const string ImagePlatformMismatch = nameof(ImagePlatformMismatch);
    public const string ImageHasNoLayers = nameof(ImageHasNoLayers);
    public const string BlobNotFound = nameof(BlobNotFound);
    public const string BlobTooLarge = nameof(BlobTooLarge);
    public const string BlobDigestMismatch = nameof(BlobDigestMismatch);
    public const string BlobSizeMismatch = nameof(BlobSizeMismatch);
    public const string InvalidLayer = nameof(InvalidLayer);
    public const string UnsupportedLayerEntry = nameof(UnsupportedLayerEntry);
    public const string UnsafeLayerEntry = nameof(UnsafeLayerEntry);
    public const string LayerUnpackFailed = nameof(LayerUnpackFailed);
    public const string LayerDiffIdMismatch = nameof(LayerDiffIdMismatch);

    public const string InvalidAuthFile = nameof(InvalidAuthFile);
    public const string RegistryUnreachable = nameof(RegistryUnreachable);
    public const string RegistryError = nameof(RegistryError);
    public const string ImageNotFoundInRegistry = nameof(ImageNotFoundInRegistry);
    public const string ManifestTooLarge = nameof(ManifestTooLarge);
    public const string AuthenticationRequired = nameof(AuthenticationRequired);
    public const string AuthenticationUnsupported = nameof(AuthenticationUnsupported);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);

    public const string NetworkNotFound = nameof(NetworkNotFound);
    public const string InvalidNetworkName = nameof(InvalidNetworkName);
    public const string NetworkNameInUse = nameof(NetworkNameInUse);
    public const string InvalidSubnet = nameof(InvalidSubnet);
    public const string SubnetInUse = nameof(SubnetInUse);
    public const string NoFreeSubnet = nameof(NoFreeSubnet);
    public const string NetworkInUse = nameof(NetworkInUse);
    public const string InvalidNetworkMode = nameof(InvalidNetworkMode);
    public const string InvalidPortSpec = nameof(InvalidPortSpec);
    public const string PortInUse = nameof(PortInUse);
    public const string NetworkPluginNotFound = nameof(NetworkPluginNotFound);
    public const string NetworkSetupFailed = nameof(NetworkSetupFailed);
    public const string NetworkRulesFailed = nameof(NetworkRulesFailed);
    public const string AlreadyConnected = nameof(AlreadyConnected);
    public const string NotConnected = nameof(NotConnected);
    // Hardening: the store's trust and identity, damaged records, bounds on what is read.
    public const string UnusableStoreRoot = nameof(UnusableStoreRoot);
    public const string StoreNotTrusted = nameof(StoreNotTrusted);
    public const string ImageRecordUnreadable = nameof(ImageRecordUnreadable);
    public const string ImageStoreFull = nameof(ImageStoreFull);
    public const string ExecLost = nameof(ExecLost);
    public const string InvalidSecurityOption = nameof(InvalidSecurityOption);
    public const string InvalidCapability = nameof(InvalidCapability);
    public const string InvalidTmpfs = nameof(InvalidTmpfs);
    // Images going out: tag, export, push, login (issue 13).
    public const string DigestReferenceNotRecorded = nameof(DigestReferenceNotRecorded);
    public const string ExportPathExists = nameof(ExportPathExists);
    public const string LayerNotReproducible = nameof(LayerNotReproducible);
    public const string InvalidRegistry = nameof(InvalidRegistry);
    public const string NotLoggedIn = nameof(NotLoggedIn);
    public const string CredentialHelperFailed = nameof(CredentialHelperFailed);
    public const string ContainerPathNotFound = nameof(ContainerPathNotFound);
    public const string HostPathNotFound = nameof(HostPathNotFound);
    public const string InvalidContainerPath = nameof(InvalidContainerPath);
    public const string CopyFailed = nameof(CopyFailed);
    public const string InvalidInstruction = nameof(InvalidInstruction);
    public const string InvalidContainerfile = nameof(InvalidContainerfile);
    public const string BuildStepFailed = nameof(BuildStepFailed);
    public const string BuildSourceNotFound = nameof(BuildSourceNotFound);
    public const string BuildCopyFailed = nameof(BuildCopyFailed);
    // Resources and supervision.
    public const string InvalidSize = nameof(InvalidSize);
    public const string InvalidResourceLimit = nameof(InvalidResourceLimit);
    public const string ContainerPaused = nameof(ContainerPaused);
    public const string ContainerNotPaused = nameof(ContainerNotPaused);
    public const string InvalidRestartPolicy = nameof(InvalidRestartPolicy);
    public const string InitNotFound = nameof(InitNotFound);
    public const string InvalidHealthCheck = nameof(InvalidHealthCheck);
    public const string InvalidLogOption = nameof(InvalidLogOption);
    // Scripting and packaging (issue 12).
    public const string ShimNotExecutable = nameof(ShimNotExecutable);
    public const string PushDestinationRequired = nameof(PushDestinationRequired);
    public const string InvalidPlatform = nameof(InvalidPlatform);
    // Volumes and devices (issue 14).
    public const string InvalidVolumeName = nameof(InvalidVolumeName);
    public const string VolumeNotFound = nameof(VolumeNotFound);
    public const string VolumeNameInUse = nameof(VolumeNameInUse);
    public const string VolumeInUse = nameof(VolumeInUse);
    public const string InvalidDevice = nameof(InvalidDevice);
    // User namespaces (issue 14).
    public const string InvalidUserNamespace = nameof(InvalidUserNamespace);
    public const string IdRangesExhausted = nameof(IdRangesExhausted);
    public const string IdRangeTaken = nameof(IdRangeTaken);
    public const string UserNamespaceSetupFailed = nameof(UserNamespaceSetupFailed);
    public const string ClaimUnreadable = nameof(ClaimUnreadable);
    public const string ResourcesNotReleased = nameof(ResourcesNotReleased);
    // Shared resources (issue 20).
    public const string NetworkOwnerNotRunning = nameof(NetworkOwnerNotRunning);
    public const string NetworkOwnerGone = nameof(NetworkOwnerGone);
    public const string ContainerHasDependents = nameof(ContainerHasDependents);
    public const string ContainerStillMounted = nameof(ContainerStillMounted);
    // Files and exports a container cannot turn against the host (issue 19).
    public const string ContainerPathNotCopyable = nameof(ContainerPathNotCopyable);
    public const string InvalidHostPath = nameof(InvalidHostPath);
    public const string InvalidExportPath = nameof(InvalidExportPath);
}

/// <summary>
/// The engine's errors, one factory each, with the message a user reads. Messages say what is
/// wrong in the container's terms; what to do next in PowerShell (which cmdlet, which switch) is
/// the cmdlet layer's to add, by id (ErrorAdvice).
/// </summary>
public static class ConmanErrors
{
    internal static ConmanException RootRequired(string root) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.RootRequired, "Conman manages containers with runc and needs root.", root);

    internal static ConmanException LockTimeout(string path) =>
        new(ConmanErrorKind.Timeout, ErrorIds.LockTimeout, $"Timed out waiting for the lock {path}.", path);

    internal static ConmanException LockUnavailable(string path, int errno) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.LockUnavailable, $"Cannot open the lock {path} (errno {errno}).", path);

    public static ConmanException ContainerNotFound(string idOrName) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerNotFound, $"No container with the name or id '{idOrName}' was found.", idOrName);

    internal static ConmanException AmbiguousContainerId(string prefix, int matches) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.AmbiguousContainerId, $"The id prefix '{prefix}' matches {matches} containers; give more of it.", prefix);

    internal static ConmanException InvalidContainerName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerName,
            $"'{name}' is not a valid container name: use 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit.", name);

    internal static ConmanException ContainerNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.ContainerNameInUse, $"The name '{name}' is already used by another container.", name);

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

    internal static ConmanException InvalidVolumeSpec(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidVolumeSpec, $"Invalid volume '{spec}': {why}.", spec);

    internal static ConmanException InvalidSignal(string signal) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSignal,
            $"'{signal}' is not a signal: use a name such as TERM, SIGKILL or HUP, or a number from 1 to 64.", signal);

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

    internal static ConmanException ContainerCreateFailed(string runtimeError, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerCreateFailed, runtimeError, target);

    internal static ConmanException ExecFailed(string runtimeError, string name) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ExecFailed, runtimeError, name);

    internal static ConmanException ShimFailed(string why, string target) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ShimFailed, why, target);

    internal static ConmanException ShimTimeout(string why, string target) =>
        new(ConmanErrorKind.Timeout, ErrorIds.ShimTimeout, why, target);

    internal static ConmanException RuntimeFailed(string runtimeError, string id) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.RuntimeFailed, runtimeError, id);

    internal static ConmanException RuntimeNotFound(string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RuntimeNotFound, why, "runc");

    internal static ConmanException ShimNotFound(string path) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ShimNotFound, $"conman-shim was not found at '{path}'; the module's build is incomplete.", path);

    internal static ConmanException OverlayMountFailed(string merged, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.OverlayMountFailed, $"Cannot mount the overlay for {merged} (errno {errno}: {why}).", merged);

    internal static ConmanException TooManyLayers(string merged, int layers, int length, int limit) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.TooManyLayers,
            $"The {layers} layers of {merged} make overlay options longer than the kernel takes ({length} bytes; {limit} at most).", merged);

    internal static ConmanException AttachCutOff(string name) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AttachCutOff,
            $"The output of '{name}' came faster than this session read it, and the attachment was cut off; the container runs on and its log has everything.", name);

    internal static ConmanException ContainerLost(string name, string? reason) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.ContainerLost, $"The container '{name}' is in an unknown state: {reason}.", name);

    internal static ConmanException ContainerRemoved(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerRemoved, $"The container '{name}' was removed before its run's end could be learnt.", name);

    // Images: references, the store, imports and unpacking.

    internal static ConmanException RootRequiredForImages(string root) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.RootRequired,
            "Conman unpacks images with their owners and device nodes and needs root.", root);

    internal static ConmanException InvalidImageReference(string reference, string? problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageReference,
            $"'{reference}' is not a valid image reference ({problem}); expected [registry/]repository[:tag][@sha256:digest].", reference);

    internal static ConmanException InvalidImageName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageName, $"An image name may not have a digest: '{name}'.", name);

    internal static ConmanException InvalidDigest(string what, string value) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidDigest, $"The {what} '{value}' is not a sha256 digest (sha256: and 64 lowercase hex digits).", value);

    internal static ConmanException ImageNotFound(string reference) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ImageNotFound,
            $"No image '{reference}' is in the store.", reference);

    internal static ConmanException AmbiguousImageId(string prefix, int matches) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.AmbiguousImageId, $"The id prefix '{prefix}' matches {matches} images; give more of it.", prefix);

    internal static ConmanException ImageInUse(string image, IEnumerable<string> containers, string reference) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ImageInUse,
            $"The image {image} is used by the container(s) {string.Join(", ", containers)}.", reference);

    internal static ConmanException ImageNameRequired(string manifestDigest, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ImageNameRequired, $"The image {manifestDigest} in '{path}' has no name.", path);

    internal static ConmanException ImageNameAmbiguous(string path, int images) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ImageNameAmbiguous,
            $"'{path}' holds {images} images, and one name can name only one of them.", path);

    internal static ConmanException ImagePathNotFound(string path) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ImagePathNotFound, $"'{path}' is neither an OCI image layout folder nor an archive.", path);

    internal static ConmanException InvalidImageArchive(string source, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageArchive, $"'{source}' cannot be imported: {problem}.", source);

    internal static ConmanException InvalidImageDocument(string what, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageDocument, $"The {what} cannot be read: {problem}.", what);

    internal static ConmanException NestedImageIndex(string reference) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageDocument, $"The index of {reference} points to another index.", reference);

    internal static ConmanException LayerCountMismatch(string manifestDigest, int layers, int diffIds) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageDocument,
            $"The image manifest lists {layers} layers but its config {diffIds} diff ids.", manifestDigest);

    internal static ConmanException NoMatchingPlatform(string what, string offered, string wanted = "linux/amd64") =>
        new(ConmanErrorKind.NotFound, ErrorIds.NoMatchingPlatform, $"The {what} has no image for {wanted} (it has: {offered}).", what);

    internal static ConmanException ImagePlatformMismatch(string os, string architecture, string configDigest, string wanted = "linux/amd64") =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ImagePlatformMismatch,
            wanted == "linux/amd64" ? $"The image is for {os}/{architecture}; this machine runs linux/amd64 containers." : $"The image is for {os}/{architecture}, not {wanted}.", configDigest);

    internal static ConmanException ImageHasNoLayers(string manifestDigest) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ImageHasNoLayers, "The image has no layers: there is nothing to run.", manifestDigest);

    internal static ConmanException BlobNotFound(string digest) =>
        new(ConmanErrorKind.NotFound, ErrorIds.BlobNotFound, $"The blob {digest} is not in the content store.", digest);

    internal static ConmanException BlobTooLarge(string digest, long size, long maxSize) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobTooLarge, $"The blob {digest} is {size} bytes, more than the {maxSize} allowed for it.", digest);

    internal static ConmanException BlobDigestMismatch(string what, string wanted, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobDigestMismatch,
            $"The {what} should have the digest {wanted} but its content hashes to {actual}: it is corrupt or was tampered with, and was refused.", wanted);

    /// <summary>The source sent more than the descriptor gives, and was cut off there.</summary>
    internal static ConmanException BlobLargerThanDescribed(string what, string? digest, long expected) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobSizeMismatch, $"The {what} is larger than the {expected} bytes its descriptor gives; it was refused.", digest);

    internal static ConmanException BlobSizeMismatch(string what, string? digest, long expected, long actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobSizeMismatch, $"The {what} is {actual} bytes, not the {expected} its descriptor gives; it was refused.", digest);

    internal static ConmanException InvalidLayer(string layer, Exception e) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLayer, $"The layer {layer} is not a valid tar archive: {e.Message}", layer, e);

    internal static ConmanException UnsupportedLayerEntry(string layer, string entry, string type) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.UnsupportedLayerEntry,
            $"The layer {layer} has the entry '{entry}' of type {type}, which Conman does not unpack.", entry);

    internal static ConmanException UnsafeLayerEntry(string layer, string entry, string reason) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.UnsafeLayerEntry,
            $"The layer {layer} was refused: its entry '{entry}' would write outside the image ({reason}).", entry);

    internal static ConmanException LayerUnpackFailed(string action, string entry, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.LayerUnpackFailed, $"Cannot {action} '{entry}' (errno {errno}: {why}).", entry);

    internal static ConmanException LayerDiffIdMismatch(string diffId, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.LayerDiffIdMismatch,
            $"The layer should unpack to {diffId} (the image config's diff id) but its content hashes to {actual}; it was refused.", diffId);

    // Registries: credentials, the distribution API, what a registry sends.

    internal static ConmanException InvalidAuthFile(string path, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidAuthFile, $"The registry credentials file '{path}' is not valid: {why}", path);

    internal static ConmanException InvalidAuthEntry(string key, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidAuthFile, $"The entry for '{key}' in '{path}' is not base64 of \"user:password\".", path);

    internal static ConmanException RegistryUnreachable(ImageReference reference, HttpRequestException e) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RegistryUnreachable, $"Cannot reach the registry {reference.Registry}: {e.Message}", reference.ToString(), e);

    internal static ConmanException RegistryError(ImageReference reference, int status, string? reason, string path, string detail) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RegistryError,
            $"The registry {reference.Registry} answered {status} {reason} for {path}{detail}.", reference.ToString());

    internal static ConmanException ImageNotFoundInRegistry(ImageReference reference, string path, string detail) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ImageNotFoundInRegistry,
            $"The registry {reference.Registry} has no '{path}' in the repository {reference.Repository}{detail}.", reference.ToString());

    internal static ConmanException ManifestTooLarge(ImageReference reference, string tagOrDigest, long limit) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ManifestTooLarge, $"The manifest {tagOrDigest} is larger than {limit} bytes.", reference.ToString());

    internal static ConmanException ManifestDigestMismatch(string wanted, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobDigestMismatch, $"The registry sent a manifest for {wanted} whose content hashes to {actual}; it was refused.", wanted);

    /// <summary>A manifest fetched by tag whose content is not what the registry's Docker-Content-Digest says.</summary>
    internal static ConmanException AnnouncedDigestMismatch(string tagOrDigest, string announced, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobDigestMismatch,
            $"The registry says the manifest {tagOrDigest} is {announced} but its content hashes to {actual}; it was refused.", announced);

    internal static ConmanException AuthenticationRequired(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired,
            $"The registry {reference.Registry} requires credentials for {reference.Repository}.", reference.ToString());

    internal static ConmanException AuthenticationUndescribed(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired,
            $"The registry {reference.Registry} asks for authentication but says not how.", reference.ToString());

    internal static ConmanException NoTokenService(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired, $"The registry {reference.Registry} gave no usable token service.", reference.ToString());

    internal static ConmanException AuthenticationUnsupported(ImageReference reference, string scheme) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationUnsupported,
            $"The registry {reference.Registry} asks for {scheme} authentication, which Conman does not speak.", reference.ToString());

    internal static ConmanException CredentialsRefused(ImageReference reference, string user) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The token service of {reference.Registry} refused the credentials of '{user}'.", reference.ToString());

    internal static ConmanException TokenServiceFailed(ImageReference reference, int status) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed, $"The token service of {reference.Registry} answered {status}.", reference.ToString());

    internal static ConmanException NoToken(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed, $"The token service of {reference.Registry} gave no token.", reference.ToString());

    /// <param name="user">The user whose credentials were refused; null when none were sent.</param>
    internal static ConmanException AccessRefused(ImageReference reference, string? user, string detail) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The registry {reference.Registry} refused access to {reference.Repository}{(user is null ? "" : $" for '{user}'")}{detail}.", reference.ToString());

    public static ConmanException NetworkNotFound(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkNotFound, $"No network is named '{name}'.", name);

    internal static ConmanException InvalidNetworkName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidNetworkName,
            $"'{name}' is not a valid network name: use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 64 characters" +
            " ('bridge', 'none' and 'host' name network modes).", name);

    internal static ConmanException NetworkNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.NetworkNameInUse, $"A network named '{name}' already exists.", name);

    internal static ConmanException InvalidSubnet(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSubnet, $"'{value}' is not a usable subnet: {why}.", value);

    internal static ConmanException SubnetInUse(string subnet, string user) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.SubnetInUse, $"The subnet {subnet} overlaps {user}.", subnet);

    internal static ConmanException NoFreeSubnet(string pool) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.NoFreeSubnet, $"Every /24 of {pool} is in use; give the network a -Subnet.", pool);

    internal static ConmanException NetworkInUse(string name, IEnumerable<string> containers) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NetworkInUse,
            $"The network '{name}' is used by the container(s) {string.Join(", ", containers)}.", name);

    internal static ConmanException InvalidNetworkMode(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidNetworkMode, $"-Network {value}: {why}.", value);

    internal static ConmanException InvalidPortSpec(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidPortSpec,
            $"'{spec}' is not a valid port to publish ([hostIp:][hostPort:]containerPort[/tcp|udp], ports or ranges 1-65535): {why}.", spec);

    internal static ConmanException PortInUse(string port, string target, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.PortInUse, $"Cannot publish {port} for '{target}': {why}.", target);

    internal static ConmanException NetworkPluginNotFound(string plugin, string searched) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkPluginNotFound,
            $"The CNI plugin '{plugin}' is not in {searched} (Debian's containernetworking-plugins package has it).", plugin);

    internal static ConmanException NetworkSetupFailed(string network, string target, string why) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.NetworkSetupFailed, $"Cannot connect '{target}' to the network '{network}': {why}", target);

    internal static ConmanException NetworkRulesFailed(string network, string why) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.NetworkRulesFailed,
            $"Cannot set the host rules that keep the network '{network}' apart (docs/networking.md): {why}.", network);

    internal static ConmanException AlreadyConnected(string container, string network) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.AlreadyConnected, $"The container '{container}' is already on the network '{network}'.", container);

    internal static ConmanException NotConnected(string container, string network) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NotConnected, $"The container '{container}' is not on the network '{network}'.", container);
    // Hardening: the store's trust and identity, damaged records, bounds on what is read.

    internal static ConmanException CommandHasNul(string? target) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCommand, "The command may not contain a NUL character.", target);

    internal static ConmanException EnvironmentValueHasNul(string key) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidEnvironment, $"The value of the environment variable '{key}' may not contain a NUL character.", key);

    internal static ConmanException UnusableStoreRoot(string root) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.UnusableStoreRoot,
            $"The store's root '{root}' may not contain ',', ':' or '\\' (overlayfs cannot stack its containers' layers); set CONMAN_ROOT to another folder.", root);

    internal static ConmanException StoreNotTrusted(string root, string folder, string why) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.StoreNotTrusted,
            $"The store '{root}' is refused: '{folder}' is {why}, and whoever can write there can make root run anything. " +
            "Make it root's alone (chown root, chmod go-w), or set CONMAN_ROOT to another folder.", root);

    internal static ConmanException ImageRecordUnreadable(string reference) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ImageRecordUnreadable,
            $"The record of the image '{reference}' cannot be read: what it holds is not known. Remove it and import or pull it again.", reference);

    internal static ConmanException TokenResponseTooLarge(ImageReference reference, int limit) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The token service of {reference.Registry} sent more than {limit} bytes where a token belongs; it was refused.", reference.ToString());

    internal static ConmanException ImageStoreFull(string root, string source, IOException e) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ImageStoreFull,
            $"There is no space left for '{source}' on the file system of the store '{root}'; nothing of it was kept as an image. Free some space and try again.", source, e);

    internal static ConmanException NotARegularFile(string source, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageArchive,
            $"'{source}' cannot be imported: '{path}' is not a regular file (a device, a FIFO or a socket would be read without end).", source);

    internal static ConmanException InvalidSecurityOption(string option, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSecurityOption, $"Invalid security option '{option}': {why}.", option);

    internal static ConmanException InvalidCapability(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidCapability,
            $"'{name}' is not a Linux capability: use a name such as NET_ADMIN or CAP_SYS_TIME, or ALL.", name);

    internal static ConmanException InvalidTmpfs(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidTmpfs, $"Invalid tmpfs '{spec}': {why}.", spec);
    // Images going out: tag, export, push, login (issue 13).

    internal static ConmanException DigestReferenceNotRecorded(string reference, string image) =>
        new(ConmanErrorKind.NotFound, ErrorIds.DigestReferenceNotRecorded,
            $"'{reference}' matches the image {image} by its digest, but is not one of its references: only a pull by digest records one.", reference);

    internal static ConmanException ExportPathExists(string path) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.ExportPathExists,
            $"'{path}' exists: an OCI layout is written into a new or empty folder, and an archive replaces only a file, and none with -NoClobber.", path);

    internal static ConmanException LayerNotReproducible(string diffId, string reason) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.LayerNotReproducible,
            $"The layer {diffId} cannot be written out as it came: {reason}. Remove the images that use it and pull or import them again.", diffId);

    internal static ConmanException InvalidRegistry(string registry) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRegistry,
            $"'{registry}' is not a registry: give its host, with a port if it has one ('quay.io', 'localhost:5000', 'docker.io').", registry);

    internal static ConmanException NotLoggedIn(string registry, string authFile) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NotLoggedIn, $"There is no login for {registry} in '{authFile}'.", registry);

    internal static ConmanException CredentialHelperFailed(string helper, string verb, string registry, string message) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.CredentialHelperFailed,
            $"The credential helper docker-credential-{helper} failed to {verb}{(registry.Length > 0 ? $" the credential of {registry}" : "")}: {message}", helper);

    internal static ConmanException ContainerPathNotFound(string container, string path) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerPathNotFound, $"The container '{container}' has nothing at '{path}'.", path);

    internal static ConmanException HostPathNotFound(string path) =>
        new(ConmanErrorKind.NotFound, ErrorIds.HostPathNotFound, $"There is nothing at '{path}'.", path);

    internal static ConmanException InvalidContainerPath(string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerPath, $"'{path}' is not a path in a container.", path);

    internal static ConmanException CopyFailed(string container, string path, string action, int errno) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.CopyFailed,
            $"Copying with the container '{container}' could not {action} '{path}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}.", path);

    /// <param name="what">The instruction, and where it is: "CMD (Containerfile line 4)", "-Change 'ENV x'".</param>
    internal static ConmanException InvalidInstruction(string what, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidInstruction, $"{what} cannot be applied: {problem}.", what);

    internal static ConmanException InvalidContainerfile(string path, int line, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerfile, $"{path}{(line > 0 ? $", line {line}" : "")}: {problem}.", path);

    internal static ConmanException BuildStepFailed(string step, int exitCode) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.BuildStepFailed, $"{step} failed with exit code {exitCode}.", step);

    internal static ConmanException BuildSourceNotFound(string step, string source) =>
        new(ConmanErrorKind.NotFound, ErrorIds.BuildSourceNotFound,
            $"{step}: '{source}' is not in the build context (or is left out by .dockerignore; a link in the context is followed only inside it).", source);

    /// <param name="step">The instruction and its line: "COPY (line 3)".</param>
    internal static ConmanException BuildCopyFailed(string step, string path, string action, int errno) =>
        BuildCopyFailed(step, path, action, System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno));

    internal static ConmanException BuildCopyFailed(string step, string path, string action, string problem) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.BuildCopyFailed, $"{step}: could not {action} '{path}': {problem}.", path);
    // Resources and supervision: limits, updates, stats, restarts, health.

    internal static ConmanException InvalidSize(string text, string what) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSize,
            $"'{text}' is not a size for {what}: give bytes, or a number with k, m, g or t (binary multiples), such as 64m or 1.5g.", text);

    internal static ConmanException InvalidResourceLimit(string limit, string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidResourceLimit, $"Invalid {limit} '{value}': {why}.", value);

    internal static ConmanException ContainerPaused(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerPaused, $"The container '{name}' is already paused.", name);

    internal static ConmanException ContainerNotPaused(string name) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerNotPaused, $"The container '{name}' is not paused.", name);

    internal static ConmanException InvalidRestartPolicy(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRestartPolicy, $"Invalid restart policy '{value}': {why}.", value);

    internal static ConmanException InitNotFound() =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.InitNotFound,
            "No init for -Init was found: neither catatonit nor tini is installed, and CONMAN_INIT names none.", "catatonit");

    internal static ConmanException InvalidHealthCheck(string setting, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHealthCheck, $"Invalid {setting}: {why}.", setting);

    /// <param name="option">The parameter, as the cmdlets name it: LogMaxSize, LogMaxFiles.</param>
    internal static ConmanException InvalidLogOption(string option, string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLogOption, $"Invalid {option} '{value}': {why}.", value);
    // Scripting and packaging (issue 12).
    internal static ConmanException ShimNotExecutable(string path, string why) =>
        new(ConmanErrorKind.PermissionDenied, ErrorIds.ShimNotExecutable,
            $"conman-shim at '{path}' is not executable, and making it so failed: {why}. Run: chmod 755 '{path}'.", path);

    internal static ConmanException PushDestinationRequired(string reference) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.PushDestinationRequired,
            $"'{reference}' is not one of the image's names, so it says no registry to push to: give -Destination registry/repository:tag.", reference);

    internal static ConmanException InvalidPlatform(string platform) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidPlatform, $"'{platform}' is not a platform: give os/architecture[/variant], as linux/arm64 or linux/arm/v7.", platform);
    // Volumes and devices (issue 14).
    internal static ConmanException InvalidVolumeName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidVolumeName,
            $"'{name}' is not a volume name: use 2 to 128 letters, digits, '_', '.' or '-', beginning with a letter or digit.", name);

    public static ConmanException VolumeNotFound(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.VolumeNotFound, $"No volume is named '{name}'.", name);

    internal static ConmanException VolumeNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.VolumeNameInUse, $"A volume named '{name}' already exists.", name);

    internal static ConmanException VolumeInUse(string name, IEnumerable<string> containers) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.VolumeInUse,
            $"The volume '{name}' is used by the container(s) {string.Join(", ", containers)}; remove them first.", name);

    internal static ConmanException InvalidDevice(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidDevice, $"Invalid device '{spec}': {why}.", spec);

    internal static ConmanException InvalidUserNamespace(string spec, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidUserNamespace, $"Invalid user namespace '{spec}': {why}.", spec);

    internal static ConmanException IdRangesExhausted(uint size, string pool) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.IdRangesExhausted,
            $"No free range of {size} ids is left for -UserNs auto in {pool}; remove containers that use one, or give 'containers' more ids in /etc/subuid and /etc/subgid.", pool);

    internal static ConmanException IdRangeTaken(string container, string range, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.IdRangeTaken,
            $"The host ids {range} of container '{container}' are now used by another container ({owner}).", container);

    internal static ConmanException UserNamespaceSetupFailed(string path, string step, int errno, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.UserNamespaceSetupFailed,
            $"Cannot give {path} the container's user namespace ({step}, errno {errno}: {why}).", path);

    internal static ConmanException ClaimUnreadable(string claim, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ClaimUnreadable,
            $"The host-wide claim '{claim}' of '{owner}' cannot be read, so what it holds is not known and nothing is given out until it is mended: " +
            "remove the container or network that owns it, or delete the claim if its owner no longer runs.", claim);

    internal static ConmanException ResourcesNotReleased(string container, IReadOnlyList<string> failures) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ResourcesNotReleased,
            $"What the container '{container}' holds on the host could not all be released: {string.Join("; ", failures)}. It stays until the next removal.", container);

    internal static ConmanException StillMounted(string container, string folder) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ContainerStillMounted,
            $"Something is still mounted in {folder}, so the removal of '{container}' stops before it; the container stays Removing until a removal finds it gone.", container);

    internal static ConmanException NetworkOwnerNotRunning(string container, string owner) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NetworkOwnerNotRunning,
            $"The container '{container}' joins the network of '{owner}', which is not running.", container);

    internal static ConmanException NetworkOwnerGone(string container, string owner) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkOwnerGone,
            $"The container '{container}' joins the network of the container {owner}, which is gone.", container);

    internal static ConmanException ContainerHasDependents(string container, IEnumerable<string> dependents) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ContainerHasDependents,
            $"The container '{container}' has containers on its network: {string.Join(", ", dependents)}. Remove them first.", container);

    // Files and exports a container cannot turn against the host (issue 19).

    internal static ConmanException ContainerPathNotCopyable(string container, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ContainerPathNotCopyable,
            $"'{path}' is in one of the kernel's file systems of the container '{container}' (proc, sysfs, cgroup, devpts, mqueue...), " +
            "whose files the kernel makes up as they are read: Conman copies nothing out of them or into them.", path);

    /// <param name="what">The path's role: "The destination", "The build context".</param>
    internal static ConmanException InvalidHostPath(string what, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHostPath,
            $"{what} '{path.Replace("\0", "\\0")}' contains a NUL character, which no Linux path can hold.", path);

    internal static ConmanException InvalidExportPath(string path, string what) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidExportPath,
            $"'{path}' is {what}: an export is written as a new regular file, or in place of one (docker save -o refuses the same). Give the path of a file.", path);

    internal static ConmanException LayerNotDecompressible(string layer, string compression, Exception e) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLayer, $"The layer {layer} is not valid {compression} data (damaged or cut short): {e.Message}", layer, e);
}
