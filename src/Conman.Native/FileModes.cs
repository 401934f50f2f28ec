namespace Conman.Native;

/// <summary>
/// The modes of everything that holds container state: the owner (root) alone may read it, so no
/// other local user learns a container's commands, environment or output, or reaches its sockets.
/// </summary>
internal static class FileModes
{
    /// <summary>0600.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700.</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
}
