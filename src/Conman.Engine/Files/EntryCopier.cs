using System.Runtime.InteropServices;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Files;

/// <summary>
/// Copies a tree between the host and a container (docker cp), keeping what docker cp -a keeps:
/// owners, modes (set-user-id and the like, applied after the owner), modification times,
/// symbolic links as links, hard links within the copy, devices and fifos. On the container's
/// side every entry is reached relative to its folder's descriptor, never following a link
/// (<see cref="ContainerRoot"/>); a link is copied as a link, never through. Owners go through
/// the container's <see cref="UserNamespaces.OwnerMap"/>: on the container's side they are host ids.
/// </summary>
internal sealed unsafe class EntryCopier(string container, CancellationToken cancel, UserNamespaces.OwnerMap? owners = null) : IDisposable
{
    private readonly UserNamespaces.OwnerMap _owners = owners ?? UserNamespaces.OwnerMap.Host;
    private const int CopyBufferSize = 1 << 20;
    private readonly byte[] _buffer = new byte[CopyBufferSize];
    private readonly Dictionary<(ulong, ulong), string> _hostLinks = [];
    private readonly Dictionary<(ulong, ulong), (SafeFileHandle Folder, string Name)> _containerLinks = [];
    private readonly HashSet<SafeFileHandle> _linkFolders = [];

    /// <summary>Whether the folder has an entry of that name (a link counts, followed or not).</summary>
    public bool Exists(SafeFileHandle folder, string name)
    {
        LibC.FileStatus status;
        return LibC.fstatat(Fd(folder), name, &status, LibC.AT_SYMLINK_NOFOLLOW) == 0;
    }

    // From the container to the host.

    /// <summary>
    /// Copies the entry <paramref name="name"/> of the container folder <paramref name="folder"/> to the host path <paramref name="target"/>.
    /// A path in one of the kernel's file systems (/proc/cpuinfo) is refused: it holds nothing of the container's to copy.
    /// </summary>
    public void CopyOut(SafeFileHandle folder, string name, string target, string shownPath)
    {
        if (KernelFileSystems.Holds(folder)) throw ConmanErrors.ContainerPathNotCopyable(container, shownPath);
        using var entry = PinnedEntry.Open(Fd(folder), name) ?? throw Failed(shownPath, "read", LibC.Errno);
        if (entry.Status.Type != LibC.S_IFDIR && entry.OnKernelFileSystem) throw ConmanErrors.ContainerPathNotCopyable(container, shownPath);
        CopyOut(entry, target, shownPath);
    }

    /// <summary>
    /// The pinned entry as what its descriptor says it is: a folder with what is in it, a file's
    /// content, a link as a link, a device node or a FIFO as a node (never opened). A mount of one
    /// of the kernel's file systems is its mount point alone (an empty folder), as docker cp shows it.
    /// </summary>
    private void CopyOut(PinnedEntry entry, string target, string shownPath)
    {
        cancel.ThrowIfCancellationRequested();
        var status = entry.Status;
        switch (status.Type)
        {
            case LibC.S_IFDIR:
                // A host folder, never a link to one: what the container names is written below the destination only.
                LibC.FileStatus present;
                bool isFolder = LibC.lstat(target, &present) == 0 && present.Type == LibC.S_IFDIR;
                if (!isFolder)
                {
                    RemoveHost(target);
                    Check(LibC.mkdir(target, 0x1C0), target, "create the folder");
                }
                if (!entry.OnKernelFileSystem)
                {
                    foreach (string name in Names(entry.Handle))
                    {
                        string shownChild = shownPath.TrimEnd('/') + "/" + name;
                        // Gone since the folder was listed (a running container's files come and go): nothing to copy.
                        using var child = PinnedEntry.Open(Fd(entry.Handle), name);
                        if (child is null) continue;
                        CopyOut(child, Path.Combine(target, name), shownChild);
                    }
                }
                break;
            case LibC.S_IFREG:
                // A file the kernel makes up (a proc file bound elsewhere) holds nothing of the container's.
                if (entry.OnKernelFileSystem) return;
                if (status.LinkCount > 1 && _hostLinks.TryGetValue((status.Device, status.Inode), out string? first))
                {
                    RemoveHost(target);
                    Check(LibC.linkat(LibC.AT_FDCWD, first, LibC.AT_FDCWD, target, 0), target, "create the hard link");
                    return;
                }
                using (var input = entry.OpenContent() ?? throw Failed(shownPath, "open", LibC.Errno))
                {
                    RemoveHost(target);
                    using var output = new FileStream(target, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerOnly });
                    Copy(input, output);
                }
                if (status.LinkCount > 1) _hostLinks[(status.Device, status.Inode)] = target;
                break;
            case LibC.S_IFLNK:
                string link = entry.LinkTarget() ?? throw Failed(shownPath, "read the link", LibC.Errno);
                RemoveHost(target);
                Check(LibC.symlink(link, target), target, "create the symbolic link");
                break;
            case LibC.S_IFCHR or LibC.S_IFBLK or LibC.S_IFIFO:
                RemoveHost(target);
                Check(LibC.mknod(target, status.Type | 0x180, status.SpecialDevice), target, "create the device node");
                break;
            default:
                // Sockets are a running process's, not files to copy (tar skips them too).
                return;
        }
        var (uid, gid) = _owners.ToContainer(status.Uid, status.Gid);
        Check(LibC.lchown(target, uid, gid), target, "set the owner of");
        if (status.Type != LibC.S_IFLNK) Check(LibC.chmod(target, status.Mode & 0xFFF), target, "set the mode of");
        SetTimes(LibC.AT_FDCWD, target, status.ModificationTime);
    }

    // From the host to the container.

    /// <summary>
    /// Copies the host entry <paramref name="source"/> to the entry <paramref name="name"/> of the container folder <paramref name="folder"/>.
    /// The host's side is the user's, but it too is taken as its descriptor says: a device node or a
    /// FIFO put in a file's place meanwhile is copied as a node, never read (nor waited on).
    /// </summary>
    public void CopyIn(string source, SafeFileHandle folder, string name, string shownPath)
    {
        if (KernelFileSystems.Holds(folder)) throw ConmanErrors.ContainerPathNotCopyable(container, shownPath);
        CopyInEntry(source, folder, name, shownPath);
    }

    private void CopyInEntry(string source, SafeFileHandle folder, string name, string shownPath)
    {
        cancel.ThrowIfCancellationRequested();
        using var pinned = PinnedEntry.Open(source) ?? throw ConmanErrors.HostPathNotFound(source);
        var status = pinned.Status;
        int dir = Fd(folder);
        LibC.FileStatus existing;
        bool exists = LibC.fstatat(dir, name, &existing, LibC.AT_SYMLINK_NOFOLLOW) == 0;
        switch (status.Type)
        {
            case LibC.S_IFDIR:
                if (exists && existing.Type != LibC.S_IFDIR) RemoveIn(dir, name, shownPath);
                if (!exists || existing.Type != LibC.S_IFDIR) Check(LibC.mkdirat(dir, name, 0x1C0), shownPath, "create the folder");
                var child = OpenAt(folder, name, LibC.O_RDONLY | LibC.O_DIRECTORY, shownPath);
                try
                {
                    foreach (string entry in Names(pinned.Handle))
                    {
                        CopyInEntry(Path.Combine(source, entry), child, entry, shownPath.TrimEnd('/') + "/" + entry);
                    }
                    Finish(dir, name, child, status, shownPath);
                }
                finally
                {
                    // A folder holding the first copy of a hard-linked file stays open for its other links.
                    if (!_linkFolders.Contains(child)) child.Dispose();
                }
                return;
            case LibC.S_IFREG:
                if (exists && existing.Type == LibC.S_IFDIR) throw ConmanErrors.CopyFailed(container, shownPath, "replace a folder with a file", LibC.EISDIR);
                if (exists) RemoveIn(dir, name, shownPath);
                if (status.LinkCount > 1 && _containerLinks.TryGetValue((status.Device, status.Inode), out var first))
                {
                    Check(LibC.linkat(Fd(first.Folder), first.Name, dir, name, 0), shownPath, "create the hard link");
                    return;
                }
                using (var input = pinned.OpenContent() ?? throw ConmanErrors.HostPathNotFound(source))
                {
                    int fd = LibC.openat(dir, name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x180);
                    if (fd < 0) throw Failed(shownPath, "create", LibC.Errno);
                    using var output = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
                    Copy(input, output);
                    Finish(dir, name, output.SafeFileHandle, status, shownPath);
                }
                if (status.LinkCount > 1)
                {
                    _containerLinks[(status.Device, status.Inode)] = (folder, name);
                    _linkFolders.Add(folder);
                }
                return;
            case LibC.S_IFLNK:
                if (exists) RemoveIn(dir, name, shownPath);
                string link = pinned.LinkTarget() ?? throw ConmanErrors.HostPathNotFound(source);
                Check(LibC.symlinkat(link, dir, name), shownPath, "create the symbolic link");
                SetOwnerIn(dir, name, status, shownPath);
                SetTimes(dir, name, status.ModificationTime);
                return;
            case LibC.S_IFCHR or LibC.S_IFBLK or LibC.S_IFIFO:
                if (exists) RemoveIn(dir, name, shownPath);
                Check(LibC.mknodat(dir, name, status.Type | 0x180, status.SpecialDevice), shownPath, "create the device node");
                SetOwnerIn(dir, name, status, shownPath);
                // Without following: the container could have put a link there meanwhile.
                Check(LibC.fchmodat(dir, name, status.Mode & 0xFFF, LibC.AT_SYMLINK_NOFOLLOW), shownPath, "set the mode of");
                SetTimes(dir, name, status.ModificationTime);
                return;
            default:
                return;
        }
    }

    /// <summary>Owner, then mode (chown clears set-user-id bits), then time, on the open entry.</summary>
    private void Finish(int dir, string name, SafeFileHandle entry, in LibC.FileStatus status, string shownPath)
    {
        SetOwnerIn(dir, name, status, shownPath);
        Check(LibC.fchmod(Fd(entry), status.Mode & 0xFFF), shownPath, "set the mode of");
        SetTimes(dir, name, status.ModificationTime);
    }

    /// <summary>A host entry's owner, as the container's ids are on the host.</summary>
    private void SetOwnerIn(int dir, string name, in LibC.FileStatus status, string shownPath)
    {
        var (uid, gid) = _owners.ToHost(status.Uid, status.Gid);
        Check(LibC.fchownat(dir, name, uid, gid, LibC.AT_SYMLINK_NOFOLLOW), shownPath, "set the owner of");
    }

    /// <summary>What a copy replaces in the container: a file, a link (never followed) or a whole folder.</summary>
    private void RemoveIn(int dir, string name, string shownPath)
    {
        if (LibC.unlinkat(dir, name, 0) == 0) return;
        int errno = LibC.Errno;
        if (errno != LibC.EISDIR) throw Failed(shownPath, "replace", errno);
        int fd = LibC.openat(dir, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(shownPath, "replace", LibC.Errno);
        using (var folder = new SafeFileHandle(fd, ownsHandle: true))
        {
            foreach (string entry in Names(folder)) RemoveIn(fd, entry, shownPath + "/" + entry);
        }
        Check(LibC.unlinkat(dir, name, LibC.AT_REMOVEDIR), shownPath, "replace");
    }

    private static void RemoveHost(string target)
    {
        var info = new FileInfo(target);
        if (info.Exists || info.LinkTarget is not null) info.Delete();
    }

    private SafeFileHandle OpenAt(SafeFileHandle folder, string name, int flags, string shownPath)
    {
        int fd = LibC.openat(Fd(folder), name, flags | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(shownPath, "open", LibC.Errno);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>A folder's entries, by its descriptor: /proc/self/fd/N is the folder opened, not a path looked up again.</summary>
    private static IEnumerable<string> Names(SafeFileHandle folder) =>
        Directory.EnumerateFileSystemEntries($"/proc/self/fd/{Fd(folder)}").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    private void Copy(Stream input, Stream output)
    {
        int read;
        while ((read = input.Read(_buffer)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            output.Write(_buffer, 0, read);
        }
    }

    private static void SetTimes(int dir, string path, LibC.TimeSpec modified)
    {
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = modified;
        times[1] = modified;
        LibC.utimensat(dir, path, times, LibC.AT_SYMLINK_NOFOLLOW);
    }

    public void Dispose()
    {
        foreach (var folder in _linkFolders) folder.Dispose();
    }

    private static int Fd(SafeFileHandle handle) => handle.DangerousGetHandle().ToInt32();

    private void Check(int result, string path, string action)
    {
        if (result != 0) throw Failed(path, action, LibC.Errno);
    }

    private ConmanException Failed(string path, string action, int errno) => ConmanErrors.CopyFailed(container, path, action, errno);
}
