namespace Conman.Engine;

// The errors of volumes.

public static partial class ErrorIds
{
    public const string InvalidVolumeName = nameof(InvalidVolumeName);
    public const string VolumeNotFound = nameof(VolumeNotFound);
    public const string VolumeNameInUse = nameof(VolumeNameInUse);
    public const string VolumeInUse = nameof(VolumeInUse);
}

public static partial class ConmanErrors
{
    public static ConmanException VolumeNotFound(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.VolumeNotFound, $"No volume is named '{name}'.", name);

    internal static ConmanException VolumeNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.VolumeNameInUse, $"A volume named '{name}' already exists.", name);

    internal static ConmanException VolumeInUse(string name, IEnumerable<string> containers) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.VolumeInUse,
            $"The volume '{name}' is used by the container(s) {string.Join(", ", containers)}; remove them first.", name);
}
