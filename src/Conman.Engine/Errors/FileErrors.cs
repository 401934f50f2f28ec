namespace Conman.Engine;

// The errors of files copied in and out of containers, and host paths.

public static partial class ErrorIds
{
    public const string ContainerPathNotFound = nameof(ContainerPathNotFound);
    public const string HostPathNotFound = nameof(HostPathNotFound);
    public const string InvalidContainerPath = nameof(InvalidContainerPath);
    public const string CopyFailed = nameof(CopyFailed);
    public const string ContainerPathNotCopyable = nameof(ContainerPathNotCopyable);
    public const string InvalidHostPath = nameof(InvalidHostPath);
}

public static partial class ConmanErrors
{
    internal static ConmanException ContainerPathNotFound(string container, string path) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ContainerPathNotFound, $"The container '{container}' has nothing at '{path}'.", path);

    internal static ConmanException HostPathNotFound(string path) =>
        new(ConmanErrorKind.NotFound, ErrorIds.HostPathNotFound, $"There is nothing at '{path}'.", path);

    internal static ConmanException InvalidContainerPath(string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerPath, $"'{path}' is not a path in a container.", path);

    internal static ConmanException CopyFailed(string container, string path, string action, int errno) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.CopyFailed,
            $"Copying with the container '{container}' could not {action} '{path}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}.", path);

    internal static ConmanException ContainerPathNotCopyable(string container, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.ContainerPathNotCopyable,
            $"'{path}' is in one of the kernel's file systems of the container '{container}' (proc, sysfs, cgroup, devpts, mqueue...), " +
            "whose files the kernel makes up as they are read: Conman copies nothing out of them or into them.", path);

    /// <param name="what">The path's role: "The destination", "The build context".</param>
    internal static ConmanException InvalidHostPath(string what, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidHostPath,
            $"{what} '{path.Replace("\0", "\\0")}' contains a NUL character, which no Linux path can hold.", path);
}
