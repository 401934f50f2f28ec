namespace Conman.Engine;

// The errors of images: references, the store, imports, unpacking and exports.

public static partial class ErrorIds
{
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
    public const string ImageRecordUnreadable = nameof(ImageRecordUnreadable);
    public const string ImageStoreFull = nameof(ImageStoreFull);
    public const string DigestReferenceNotRecorded = nameof(DigestReferenceNotRecorded);
    public const string ExportPathExists = nameof(ExportPathExists);
    public const string LayerNotReproducible = nameof(LayerNotReproducible);
    public const string InvalidPlatform = nameof(InvalidPlatform);
    public const string InvalidExportPath = nameof(InvalidExportPath);
}

public static partial class ConmanErrors
{
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

    internal static ConmanException ManifestDigestMismatch(string wanted, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobDigestMismatch, $"The registry sent a manifest for {wanted} whose content hashes to {actual}; it was refused.", wanted);

    /// <summary>A manifest fetched by tag whose content is not what the registry's Docker-Content-Digest says.</summary>
    internal static ConmanException AnnouncedDigestMismatch(string tagOrDigest, string announced, string actual) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.BlobDigestMismatch,
            $"The registry says the manifest {tagOrDigest} is {announced} but its content hashes to {actual}; it was refused.", announced);

    internal static ConmanException ImageRecordUnreadable(string reference) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.ImageRecordUnreadable,
            $"The record of the image '{reference}' cannot be read: what it holds is not known. Remove it and import or pull it again.", reference);

    internal static ConmanException ImageStoreFull(string root, string source, IOException e) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ImageStoreFull,
            $"There is no space left for '{source}' on the file system of the store '{root}'; nothing of it was kept as an image. Free some space and try again.", source, e);

    internal static ConmanException NotARegularFile(string source, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidImageArchive,
            $"'{source}' cannot be imported: '{path}' is not a regular file (a device, a FIFO or a socket would be read without end).", source);

    internal static ConmanException DigestReferenceNotRecorded(string reference, string image) =>
        new(ConmanErrorKind.NotFound, ErrorIds.DigestReferenceNotRecorded,
            $"'{reference}' matches the image {image} by its digest, but is not one of its references: only a pull by digest records one.", reference);

    internal static ConmanException ExportPathExists(string path) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.ExportPathExists,
            $"'{path}' exists: an OCI layout is written into a new or empty folder, and an archive replaces only a file, and none when it is not to replace one.", path);

    internal static ConmanException LayerNotReproducible(string diffId, string reason) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.LayerNotReproducible,
            $"The layer {diffId} cannot be written out as it came: {reason}. Remove the images that use it and pull or import them again.", diffId);

    internal static ConmanException InvalidPlatform(string platform) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidPlatform, $"'{platform}' is not a platform: give os/architecture[/variant], as linux/arm64 or linux/arm/v7.", platform);
    internal static ConmanException InvalidVolumeName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidVolumeName,
            $"'{name}' is not a volume name: use 2 to 128 letters, digits, '_', '.' or '-', beginning with a letter or digit.", name);

    internal static ConmanException InvalidExportPath(string path, string what) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidExportPath,
            $"'{path}' is {what}: an export is written as a new regular file, or in place of one (docker save -o refuses the same). Give the path of a file.", path);

    internal static ConmanException LayerNotDecompressible(string layer, string compression, Exception e) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidLayer, $"The layer {layer} is not valid {compression} data (damaged or cut short): {e.Message}", layer, e);
}
