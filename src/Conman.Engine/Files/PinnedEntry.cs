using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Files;

/// <summary>
/// One entry of a tree, held by an O_PATH descriptor taken without following a link, with the
/// status of that very inode. What the entry is (a file, a device node, a FIFO, a link) is read
/// from the descriptor, never from a path looked up again: a running container that renames a
/// device node or a FIFO over a file after the look cannot make Conman read the device or wait
/// on the FIFO. An O_PATH open calls no driver (a device is never opened), and a file's content
/// is read by opening the pinned inode again through /proc/self/fd.
/// </summary>
internal sealed unsafe class PinnedEntry : IDisposable
{
    private PinnedEntry(SafeFileHandle handle, LibC.FileStatus status)
    {
        Handle = handle;
        Status = status;
    }

    public SafeFileHandle Handle { get; }

    public LibC.FileStatus Status { get; }

    private int Fd => Handle.DangerousGetHandle().ToInt32();

    /// <summary>The entry <paramref name="name"/> of the folder <paramref name="folderFd"/> ("." for the folder itself); null with errno set when there is none.</summary>
    public static PinnedEntry? Open(int folderFd, string name) => Pin(LibC.openat(folderFd, name, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0));

    /// <summary>The host entry at <paramref name="path"/> (its last component not followed); null with errno set when there is none.</summary>
    public static PinnedEntry? Open(string path) => Pin(LibC.open(path, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0));

    private static PinnedEntry? Pin(int fd)
    {
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        LibC.FileStatus status;
        if (LibC.fstat(fd, &status) != 0)
        {
            // Closing must not change the errno the caller reports.
            int errno = LibC.Errno;
            handle.Dispose();
            System.Runtime.InteropServices.Marshal.SetLastPInvokeError(errno);
            return null;
        }
        return new PinnedEntry(handle, status);
    }

    /// <summary>Whether it lies on one of the kernel's own file systems, whose content is never read (<see cref="KernelFileSystems"/>).</summary>
    public bool OnKernelFileSystem => KernelFileSystems.Holds(Handle);

    /// <summary>
    /// The content of a regular file (callers check <see cref="Status"/> first: nothing else is
    /// ever read), exactly as many bytes as it held when pinned: a file a container keeps writing
    /// cannot make a copy or a layer without end, and a tar header's size stays true. Null with
    /// errno set when it cannot be opened.
    /// </summary>
    public Stream? OpenContent()
    {
        // O_NONBLOCK: were this ever a FIFO after all, the open would not wait for a writer.
        int fd = LibC.open($"/proc/self/fd/{Fd}", LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) return null;
        return new ExactLengthStream(new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0), Status.Size);
    }

    /// <summary>A symbolic link's target, read from the descriptor; null when it is not one.</summary>
    public string? LinkTarget() => Status.Type == LibC.S_IFLNK ? LibC.ReadLinkAt(Fd, "") : null;

    public void Dispose() => Handle.Dispose();
}
