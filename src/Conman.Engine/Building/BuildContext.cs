using System.Text;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Building;

/// <summary>
/// A build context, held by its folder's descriptor. A source that COPY or ADD names is looked up
/// as in a chroot of the context (openat2 with RESOLVE_IN_ROOT), as buildah and BuildKit look it
/// up: its links are followed, but "..", absolute targets and links full of ".." all stay inside
/// the context, so a link to a host folder leads to nothing. A glob walks real folders only, never
/// through a link. What is found is held by its descriptor and read through it, never by a path
/// looked up again.
/// </summary>
internal sealed unsafe class BuildContext : IDisposable
{
    private const ulong InContext = LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS;
    private readonly SafeFileHandle _folder;
    /// <summary>The folder as the kernel names it (links resolved), to tell a found entry's own path in the context.</summary>
    private readonly string _realPath;

    private BuildContext(SafeFileHandle folder, string path)
    {
        _folder = folder;
        Path = path;
        _realPath = DescriptorPath(folder);
    }

    /// <summary>The context as the user named it.</summary>
    public string Path { get; }

    /// <summary>Opens the folder the user named (following a link to it is the user's choice, as with any path given).</summary>
    public static BuildContext Open(string folder)
    {
        int fd = LibC.open(folder, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.HostPathNotFound(folder);
        return new BuildContext(new SafeFileHandle(fd, ownsHandle: true), folder);
    }

    /// <summary>
    /// The entry <paramref name="relative"/> names ("" for the context itself), every link on the
    /// way followed inside the context; null when there is none (a link whose target is outside
    /// the context leads to nothing, as in buildah).
    /// </summary>
    public ContextSource? Find(string relative, string where)
    {
        int fd = LibC.openat2(Fd(_folder), relative.Length == 0 ? "." : relative, LibC.O_PATH | LibC.O_CLOEXEC, 0, InContext);
        if (fd < 0)
        {
            int errno = LibC.Errno;
            if (errno is LibC.ENOENT or LibC.ENOTDIR) return null;
            throw ConmanErrors.BuildCopyFailed(where, relative, "find", errno);
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        LibC.FileStatus status;
        if (LibC.fstat(fd, &status) != 0)
        {
            int errno = LibC.Errno;
            handle.Dispose();
            throw ConmanErrors.BuildCopyFailed(where, relative, "read", errno);
        }
        return new ContextSource(relative, PathInContext(handle) ?? relative, handle, status);
    }

    /// <summary>
    /// The paths in the context a wildcard source matches, component by component (Go's
    /// filepath.Match, as Docker's), less what .dockerignore leaves out. Only real folders are
    /// walked: a link matches as an entry, but nothing below it does.
    /// </summary>
    public List<string> Glob(string pattern, DockerIgnore ignore)
    {
        var parts = pattern.Split('/').Select(DockerIgnore.ToRegex).ToArray();
        var found = new List<string>();
        Collect(_folder, "", 0);
        return found.Order(StringComparer.Ordinal).ToList();

        void Collect(SafeFileHandle folder, string relative, int depth)
        {
            foreach (string name in Names(folder))
            {
                if (!parts[depth].IsMatch(name)) continue;
                string path = relative.Length == 0 ? name : relative + "/" + name;
                if (depth == parts.Length - 1)
                {
                    if (!ignore.Ignores(path)) found.Add(path);
                    continue;
                }
                int fd = LibC.openat(Fd(folder), name, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
                if (fd < 0) continue;
                using var child = new SafeFileHandle(fd, ownsHandle: true);
                Collect(child, path, depth + 1);
            }
        }
    }

    /// <summary>The text of a regular file of the context (the Containerfile, .dockerignore), looked up inside it; null when there is none.</summary>
    public string? ReadText(string name)
    {
        using var source = Find(name, name);
        if (source is null) return null;
        if (source.Status.Type != LibC.S_IFREG) throw ConmanErrors.InvalidContainerfile(System.IO.Path.Combine(Path, name), 0, "it is not a regular file");
        using var file = source.OpenFile(name);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A folder's entry names, by its descriptor: /proc/self/fd/N is the folder held, not a path looked up again.</summary>
    internal static List<string> Names(SafeFileHandle folder) =>
        Directory.EnumerateFileSystemEntries($"/proc/self/fd/{Fd(folder)}").Select(p => System.IO.Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The entry's path relative to the context with its links resolved, as .dockerignore must judge it; null if the kernel names it elsewhere.</summary>
    private string? PathInContext(SafeFileHandle entry)
    {
        string path = DescriptorPath(entry);
        if (path == _realPath) return "";
        string prefix = _realPath.EndsWith('/') ? _realPath : _realPath + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : null;
    }

    private static string DescriptorPath(SafeFileHandle handle) => LibC.ReadLinkAt(LibC.AT_FDCWD, $"/proc/self/fd/{Fd(handle)}") ?? "";

    internal static int Fd(SafeFileHandle handle) => handle.DangerousGetHandle().ToInt32();

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// A source found in the build context: held by an O_PATH descriptor of the entry itself (links
/// followed inside the context), with its status as found.
/// </summary>
internal sealed unsafe class ContextSource(string named, string pathInContext, SafeFileHandle handle, LibC.FileStatus status) : IDisposable
{
    /// <summary>The path as the instruction named it.</summary>
    public string Named { get; } = named;

    /// <summary>Its own path in the context, links resolved: what .dockerignore judges.</summary>
    public string PathInContext { get; } = pathInContext;

    public SafeFileHandle Handle { get; } = handle;

    public LibC.FileStatus Status { get; } = status;

    /// <summary>The name the copy takes: the last component named (a link's own name, as buildah names it).</summary>
    public string Name => Named[(Named.LastIndexOf('/') + 1)..];

    /// <summary>
    /// The regular file found, open for reading: reopened through its own descriptor, without
    /// blocking, and checked to be the same regular file.
    /// </summary>
    public FileStream OpenFile(string where)
    {
        int fd = LibC.open($"/proc/self/fd/{BuildContext.Fd(Handle)}", LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.BuildCopyFailed(where, Named, "open", LibC.Errno);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        LibC.FileStatus opened;
        if (LibC.fstat(fd, &opened) != 0 || opened.Type != LibC.S_IFREG || opened.Device != Status.Device || opened.Inode != Status.Inode)
        {
            handle.Dispose();
            throw ConmanErrors.BuildCopyFailed(where, Named, "read", "it changed while the build read it");
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 0);
    }

    public void Dispose() => Handle.Dispose();
}
