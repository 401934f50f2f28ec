using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Spec;

/// <summary>
/// A container's root filesystem as its overlay will show it, read from the host before it is
/// mounted: the folders stacked, the topmost first (one folder for -RootFs; an image's snapshots
/// otherwise). Used to read /etc/passwd and /etc/group, and by the layer unpacker to see what the
/// layers below show. Paths are walked a component at a time
/// with lstat, so a symbolic link in an image never leads to a file of the host.
/// </summary>
internal sealed unsafe class RootFsView(IReadOnlyList<string> trees)
{
    /// <summary>
    /// The regular file at <paramref name="containerPath"/>, open for reading; null when there is none.
    /// </summary>
    public FileStream? OpenFile(string containerPath) =>
        Find(containerPath) is { Status.Type: LibC.S_IFREG } found ? OpenAsChecked(found.HostPath, found.Status) : null;

    /// <summary>
    /// Opens the file <see cref="Find"/> checked, and only that one: the tree may belong to a
    /// running container, which can swap a symbolic link (or a FIFO) in after the check, so the
    /// last component is opened without following links nor blocking, and what was opened must be
    /// the same regular file (device and inode) that was checked. Null when it no longer is.
    /// </summary>
    internal static FileStream? OpenAsChecked(string hostPath, in LibC.FileStatus checkedStatus)
    {
        int fd = LibC.open(hostPath, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        LibC.FileStatus opened;
        if (LibC.fstat(fd, &opened) != 0 || opened.Type != LibC.S_IFREG
            || opened.Device != checkedStatus.Device || opened.Inode != checkedStatus.Inode)
        {
            handle.Dispose();
            return null;
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 0);
    }

    /// <summary>
    /// The entry overlayfs will show at <paramref name="containerPath"/>: the topmost folder's,
    /// with its lstat; null when there is none (absent, whited out, hidden by an opaque folder,
    /// or below something that is not a folder).
    /// </summary>
    public (string HostPath, LibC.FileStatus Status)? Find(string containerPath)
    {
        string[] parts = containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Contains("..")) return null;
        foreach (string tree in trees)
        {
            string path = tree;
            bool underOpaqueFolder = false;
            for (int i = 0; i < parts.Length; i++)
            {
                path = Path.Combine(path, parts[i]);
                LibC.FileStatus status;
                if (LibC.lstat(path, &status) != 0)
                {
                    // An opaque folder hides whatever the layers below have in it.
                    if (underOpaqueFolder) return null;
                    goto nextTree;
                }
                if (IsWhiteout(status)) return null;
                if (i == parts.Length - 1) return (path, status);
                // Anything but a folder on the way hides the rest of the path, in every layer below.
                if (status.Type != LibC.S_IFDIR) return null;
                underOpaqueFolder |= IsOpaque(path);
            }
        nextTree:;
        }
        return null;
    }

    /// <summary>overlayfs's "deleted here": a character device 0:0.</summary>
    private static bool IsWhiteout(in LibC.FileStatus status) => status.Type == LibC.S_IFCHR && status.SpecialDevice == 0;

    private static bool IsOpaque(string folder)
    {
        byte value;
        return LibC.lgetxattr(folder, "trusted.overlay.opaque", &value, 1) == 1 && value == (byte)'y';
    }
}
