using System.Runtime.InteropServices;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Files;

/// <summary>
/// A container's root filesystem, held by a descriptor of its root folder, in which paths are
/// resolved as the container resolves them: openat2 with RESOLVE_IN_ROOT, so "..", absolute
/// symbolic links and links full of ".." all stay inside the root, as if chrooted; below the
/// folder found, every entry is opened relative to its folder's descriptor without following a
/// link. Nothing the container put in its files can make Conman read or write a host file.
/// Resolution crosses the container's own mounts (its volumes, below /proc/pid/root), as the
/// container's does and podman's cp does from inside its mount namespace: every mount there is one
/// the container sees, and RESOLVE_IN_ROOT keeps ".." and links inside the root across them.
/// </summary>
internal sealed unsafe class ContainerRoot(SafeFileHandle root, string container) : IDisposable
{
    private const ulong InRoot = LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS;

    public string Container { get; } = container;

    /// <summary>Opens the root: a running container's through its process (/proc/pid/root, its mounts included), else a mount of its layers.</summary>
    public static ContainerRoot Open(string rootPath, string container)
    {
        int fd = LibC.open(rootPath, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.CopyFailed(container, rootPath, "open the container's root", LibC.Errno);
        return new ContainerRoot(new SafeFileHandle(fd, ownsHandle: true), container);
    }

    /// <summary>
    /// The folder that holds <paramref name="path"/>'s last component, resolved inside the root
    /// (following links as the container would), and that component's name; "" for the root itself.
    /// </summary>
    public (SafeFileHandle Folder, string Name) Parent(string path)
    {
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string folder = slash <= 0 ? "/" : trimmed[..slash];
        string name = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        if (name is "." or "..")
        {
            // "/x/.." or "/x/.": the folder itself, whose parent is then found the same way.
            return (OpenFolder(trimmed.Length == 0 ? "/" : trimmed, path), "");
        }
        return (OpenFolder(folder, path), name);
    }

    /// <summary>A folder of the container, resolved inside the root; null when there is none at that path.</summary>
    public SafeFileHandle? TryOpenFolder(string path)
    {
        int fd = LibC.openat2(root.DangerousGetHandle().ToInt32(), Relative(path), LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0, InRoot);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = LibC.Errno;
        if (errno is LibC.ENOENT or LibC.ENOTDIR) return null;
        throw ConmanErrors.CopyFailed(Container, path, "open", errno);
    }

    /// <summary>
    /// Opens the folder at <paramref name="path"/>, making each missing folder on the way (0755,
    /// root's), as a build's COPY and WORKDIR do; each is made in its parent as resolved in the root.
    /// </summary>
    public SafeFileHandle EnsureFolder(string path)
    {
        string walked = "";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = walked + "/" + part;
            if (TryOpenFolder(next) is { } existing) existing.Dispose();
            else
            {
                using var parent = OpenFolder(walked.Length == 0 ? "/" : walked, path);
                if (LibC.mkdirat(parent.DangerousGetHandle().ToInt32(), part, 0x1ED) != 0 && LibC.Errno != LibC.EEXIST)
                {
                    throw ConmanErrors.CopyFailed(Container, next, "create the folder", LibC.Errno);
                }
            }
            walked = next;
        }
        return OpenFolder(walked.Length == 0 ? "/" : walked, path);
    }

    private SafeFileHandle OpenFolder(string folder, string path) =>
        TryOpenFolder(folder) ?? throw ConmanErrors.ContainerPathNotFound(Container, path);

    /// <summary>openat2 wants a path relative to the root's descriptor; under RESOLVE_IN_ROOT "/" is the root anyway.</summary>
    private static string Relative(string path)
    {
        string relative = path.TrimStart('/');
        return relative.Length == 0 ? "." : relative;
    }

    public void Dispose() => root.Dispose();
}
