using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Building;

/// <summary>
/// Copies what a COPY or ADD takes from the build context into its staging folder, both sides by
/// descriptors: each entry is reached relative to its folder's descriptor and never through a
/// link. A link is copied as a link (its target text, never what it points to), a device node or
/// a fifo as a node (never opened, so a fifo cannot hang the build nor a device fill the disk),
/// and a socket is skipped, as buildah and tar skip it. Owners, modes (set after the owner, which
/// clears set-user-id bits) and modification times are kept.
/// </summary>
internal sealed unsafe class ContextCopier(string where, CancellationToken cancel)
{
    private const int FolderMode = 0x1C0;
    private readonly byte[] _buffer = new byte[1 << 16];

    /// <summary>The entry a source named (links already followed inside the context), as <paramref name="name"/> in <paramref name="into"/>; false for a socket.</summary>
    public bool CopyFound(ContextSource source, SafeFileHandle into, string name)
    {
        var status = source.Status;
        switch (status.Type)
        {
            case LibC.S_IFREG:
                using (var file = source.OpenFile(where)) WriteFile(file, Fd(into), name, status, source.Named);
                return true;
            case LibC.S_IFCHR or LibC.S_IFBLK or LibC.S_IFIFO:
                MakeNode(Fd(into), name, status, source.Named);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A folder's entries into <paramref name="into"/>, merged with what is there (COPY takes a
    /// folder's contents), less what .dockerignore leaves out; <paramref name="relative"/> is the
    /// folder's own path in the context.
    /// </summary>
    public void CopyContents(SafeFileHandle folder, string relative, DockerIgnore ignore, SafeFileHandle into)
    {
        foreach (string name in BuildContext.Names(folder))
        {
            cancel.ThrowIfCancellationRequested();
            string path = relative.Length == 0 ? name : relative + "/" + name;
            if (ignore.Ignores(path)) continue;
            CopyEntry(folder, name, path, ignore, into);
        }
    }

    private void CopyEntry(SafeFileHandle folder, string name, string path, DockerIgnore ignore, SafeFileHandle into)
    {
        int dir = Fd(folder), target = Fd(into);
        LibC.FileStatus status;
        if (LibC.fstatat(dir, name, &status, LibC.AT_SYMLINK_NOFOLLOW) != 0) throw Failed(path, "read", LibC.Errno);
        switch (status.Type)
        {
            case LibC.S_IFDIR:
                using (var source = OpenAt(dir, name, LibC.O_RDONLY | LibC.O_DIRECTORY, path))
                using (var copy = EnsureFolder(target, name, path))
                {
                    CopyContents(source, path, ignore, copy);
                }
                SetMetadata(target, name, status, path);
                return;
            case LibC.S_IFREG:
                // Opened without following a link nor blocking, then checked by its descriptor: what was
                // looked at may have been swapped for a link or a fifo since.
                using (var source = OpenAt(dir, name, LibC.O_RDONLY | LibC.O_NONBLOCK, path))
                using (var file = new FileStream(source, FileAccess.Read, bufferSize: 0))
                {
                    LibC.FileStatus opened;
                    if (LibC.fstat(Fd(source), &opened) != 0 || opened.Type != LibC.S_IFREG || opened.Device != status.Device || opened.Inode != status.Inode)
                    {
                        throw ConmanErrors.BuildCopyFailed(where, path, "read", "it changed while the build read it");
                    }
                    WriteFile(file, target, name, opened, path);
                }
                return;
            case LibC.S_IFLNK:
                string link = LibC.ReadLinkAt(dir, name) ?? throw Failed(path, "read the link", LibC.Errno);
                Replace(target, name, path);
                Check(LibC.symlinkat(link, target, name), path, "create the link");
                SetMetadata(target, name, status, path);
                return;
            case LibC.S_IFCHR or LibC.S_IFBLK or LibC.S_IFIFO:
                MakeNode(target, name, status, path);
                return;
            default:
                // A socket belongs to a running process, not to the files of an image.
                return;
        }
    }

    private void WriteFile(FileStream source, int into, string name, in LibC.FileStatus status, string path)
    {
        Replace(into, name, path);
        int fd = LibC.openat(into, name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x180);
        if (fd < 0) throw Failed(path, "stage", LibC.Errno);
        using (var output = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0))
        {
            int read;
            while ((read = source.Read(_buffer)) > 0)
            {
                cancel.ThrowIfCancellationRequested();
                output.Write(_buffer, 0, read);
            }
        }
        SetMetadata(into, name, status, path);
    }

    private void MakeNode(int into, string name, in LibC.FileStatus status, string path)
    {
        Replace(into, name, path);
        Check(LibC.mknodat(into, name, status.Type | 0x180, status.SpecialDevice), path, "create the node");
        SetMetadata(into, name, status, path);
    }

    /// <summary>The staged folder of that name, made when missing, kept when a folder is there already (two sources merge).</summary>
    private SafeFileHandle EnsureFolder(int into, string name, string path)
    {
        LibC.FileStatus existing;
        bool isFolder = LibC.fstatat(into, name, &existing, LibC.AT_SYMLINK_NOFOLLOW) == 0 && existing.Type == LibC.S_IFDIR;
        if (!isFolder)
        {
            Replace(into, name, path);
            Check(LibC.mkdirat(into, name, FolderMode), path, "stage");
        }
        return OpenAt(into, name, LibC.O_RDONLY | LibC.O_DIRECTORY, path);
    }

    /// <summary>Owner, then mode (chown clears set-user-id bits; a link has none), then time; none of them through a link.</summary>
    private void SetMetadata(int into, string name, in LibC.FileStatus status, string path)
    {
        Check(LibC.fchownat(into, name, status.Uid, status.Gid, LibC.AT_SYMLINK_NOFOLLOW), path, "set the owner of");
        if (status.Type != LibC.S_IFLNK) Check(LibC.fchmodat(into, name, status.Mode & 0xFFF, LibC.AT_SYMLINK_NOFOLLOW), path, "set the mode of");
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = status.ModificationTime;
        times[1] = status.ModificationTime;
        LibC.utimensat(into, name, times, LibC.AT_SYMLINK_NOFOLLOW);
    }

    /// <summary>What an earlier source staged under the same name, removed: the later source wins, as COPY has it.</summary>
    private void Replace(int into, string name, string path)
    {
        if (LibC.unlinkat(into, name, 0) == 0) return;
        int errno = LibC.Errno;
        if (errno == LibC.ENOENT) return;
        if (errno != LibC.EISDIR) throw Failed(path, "replace", errno);
        using (var folder = OpenAt(into, name, LibC.O_RDONLY | LibC.O_DIRECTORY, path))
        {
            foreach (string entry in BuildContext.Names(folder)) Replace(Fd(folder), entry, path + "/" + entry);
        }
        Check(LibC.unlinkat(into, name, LibC.AT_REMOVEDIR), path, "replace");
    }

    private SafeFileHandle OpenAt(int dir, string name, int flags, string path)
    {
        int fd = LibC.openat(dir, name, flags | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(path, "open", LibC.Errno);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static int Fd(SafeFileHandle handle) => BuildContext.Fd(handle);

    private void Check(int result, string path, string action)
    {
        if (result != 0) throw Failed(path, action, LibC.Errno);
    }

    private ConmanException Failed(string path, string action, int errno) => ConmanErrors.BuildCopyFailed(where, path, action, errno);
}
