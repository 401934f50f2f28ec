using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Conman.Engine.Files;
using Conman.Engine.Images;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Building;

/// <summary>
/// What one COPY or ADD puts into the image, laid out in a temp folder first: the sources from the
/// build context (less what .dockerignore leaves out) or from another stage, a folder's contents
/// rather than the folder (as COPY has it), a local tar unpacked (ADD), owners set by --chown.
/// Its digest (paths, types, modes, owners, contents, link targets; not times) keys the build cache,
/// so a changed file rebuilds from that step. Nothing here reads or changes anything outside the
/// context, the stage's root and this folder: every walk goes by descriptors and no link is followed
/// (a link staged from an image may point anywhere on the host; it is only ever an entry here).
/// </summary>
internal sealed unsafe class BuildStaging : IDisposable
{
    /// <summary>The kernel's bound on links followed in one lookup (MAXSYMLINKS).</summary>
    private const int MaxLinks = 40;
    private readonly SafeFileHandle _folder;

    private BuildStaging(string folder, SafeFileHandle handle)
    {
        Folder = folder;
        _folder = handle;
    }

    public string Folder { get; }

    /// <summary>The one file a COPY of a single file to a path not ending in "/" names: copied as that path, unless a folder is there.</summary>
    public string? SingleFile { get; private set; }

    public static BuildStaging Create(string folder)
    {
        Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
        int fd = LibC.open(folder, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.BuildCopyFailed("COPY", folder, "open the staging folder", LibC.Errno);
        return new BuildStaging(folder, new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>Stages the context's <paramref name="sources"/> (wildcards allowed); <paramref name="unpackTars"/> for ADD.</summary>
    public void AddFromContext(BuildContext context, DockerIgnore ignore, IReadOnlyList<string> sources, bool destinationIsFolder, bool unpackTars, string where, CancellationToken cancel)
    {
        var found = new List<ContextSource>();
        try
        {
            foreach (string source in sources)
            {
                string clean = Clean(source, where);
                var matched = clean.IndexOfAny(['*', '?', '[']) >= 0 ? context.Glob(clean, ignore) : [clean];
                if (matched.Count == 0) throw ConmanErrors.BuildSourceNotFound(where, source);
                foreach (string relative in matched)
                {
                    if (relative.Length > 0 && ignore.Ignores(relative)) throw ConmanErrors.BuildSourceNotFound(where, source);
                    var entry = context.Find(relative, where) ?? throw ConmanErrors.BuildSourceNotFound(where, source);
                    found.Add(entry);
                    // Judged by where it is too: a link in the context does not bring in what .dockerignore leaves out.
                    if (entry.PathInContext.Length > 0 && ignore.Ignores(entry.PathInContext)) throw ConmanErrors.BuildSourceNotFound(where, source);
                }
            }
            var copier = new ContextCopier(where, cancel);
            foreach (var entry in found)
            {
                if (entry.Status.Type == LibC.S_IFDIR)
                {
                    using var folder = OpenFolder(entry, where);
                    copier.CopyContents(folder, entry.PathInContext, ignore, _folder);
                }
                else if (unpackTars && entry.Status.Type == LibC.S_IFREG && TryUnpack(entry, where, cancel))
                {
                    continue;
                }
                else if (copier.CopyFound(entry, _folder, entry.Name) && found.Count == 1 && !destinationIsFolder)
                {
                    SingleFile = entry.Name;
                }
            }
        }
        finally
        {
            foreach (var entry in found) entry.Dispose();
        }
    }

    /// <summary>
    /// COPY --from: <paramref name="paths"/> out of an earlier stage's or an image's root, each
    /// resolved inside that root (links followed as the container would follow them, the last one
    /// too, as buildah and BuildKit take a named source); a folder's contents rather than the folder.
    /// </summary>
    public void AddFromRoot(ContainerRoot root, EntryCopier copier, IReadOnlyList<string> paths, bool destinationIsFolder, string where)
    {
        foreach (string path in paths)
        {
            var (folder, name) = FollowLinks(root, path, where);
            using (folder)
            {
                LibC.FileStatus status = default;
                if (name.Length > 0 && LibC.fstatat(Fd(folder), name, &status, LibC.AT_SYMLINK_NOFOLLOW) != 0) throw ConmanErrors.BuildSourceNotFound(where, path);
                if (name.Length == 0 || status.Type == LibC.S_IFDIR)
                {
                    using var contents = name.Length == 0 ? null : OpenAt(folder, name, LibC.O_PATH | LibC.O_DIRECTORY, where);
                    var from = contents ?? folder;
                    foreach (string entry in BuildContext.Names(from)) copier.CopyOut(from, entry, Path.Combine(Folder, entry), path.TrimEnd('/') + "/" + entry);
                    continue;
                }
                string named = Path.GetFileName(path.TrimEnd('/'));
                copier.CopyOut(folder, name, Path.Combine(Folder, named), path);
                if (paths.Count == 1 && !destinationIsFolder) SingleFile = named;
            }
        }
    }

    /// <summary>Sets every staged entry's owner (--chown): links themselves, never what they point to.</summary>
    public void SetOwner(uint uid, uint gid)
    {
        foreach (var (path, folder, name, _) in ContainerLayerWalk.Entries(Folder))
        {
            if (LibC.fchownat(Fd(folder), name, uid, gid, LibC.AT_SYMLINK_NOFOLLOW) != 0)
            {
                throw ConmanErrors.BuildCopyFailed("--chown", path, "set the owner of", LibC.Errno);
            }
        }
    }

    /// <summary>The digest of what is staged, for the build cache: a link's target text is hashed, never read through.</summary>
    public Digest Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"single {SingleFile}\n"));
        var buffer = new byte[1 << 16];
        foreach (var (path, folder, name, status) in ContainerLayerWalk.Entries(Folder))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{path}\0{status.Mode}\0{status.Uid}\0{status.Gid}\0{status.Size}\0"));
            if (status.Type == LibC.S_IFLNK) hash.AppendData(Encoding.UTF8.GetBytes(LibC.ReadLinkAt(Fd(folder), name) ?? ""));
            if (status.Type != LibC.S_IFREG) continue;
            using var file = new FileStream(OpenAt(folder, name, LibC.O_RDONLY | LibC.O_NONBLOCK, "COPY"), FileAccess.Read, bufferSize: 0);
            int read;
            while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Images.Digest.FromHash(hash.GetHashAndReset());
    }

    /// <summary>A source inside the context: relative, "." parts dropped, ".." refused.</summary>
    private static string Clean(string source, string where)
    {
        var parts = new List<string>();
        foreach (string part in source.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") throw ConmanErrors.InvalidInstruction(where, $"'{source}' is outside the build context");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>
    /// The folder holding <paramref name="path"/>'s entry in the root and its name, a link in the
    /// last component followed too: each target is looked up again from the root, so that ".." and
    /// absolute targets stay inside it.
    /// </summary>
    private static (SafeFileHandle Folder, string Name) FollowLinks(ContainerRoot root, string path, string where)
    {
        string current = path;
        for (int followed = 0; followed <= MaxLinks; followed++)
        {
            (SafeFileHandle Folder, string Name) entry;
            try
            {
                entry = root.Parent(current);
            }
            catch (ConmanException e) when (e.ErrorId == ErrorIds.ContainerPathNotFound)
            {
                throw ConmanErrors.BuildSourceNotFound(where, path);
            }
            string? link = entry.Name.Length == 0 ? null : LibC.ReadLinkAt(Fd(entry.Folder), entry.Name);
            if (link is null) return entry;
            entry.Folder.Dispose();
            string trimmed = current.TrimEnd('/');
            // Not cleaned as text: the kernel resolves "folder/../x" after following the folder's links.
            current = link.StartsWith('/') ? link : trimmed[..(trimmed.LastIndexOf('/') + 1)] + link;
        }
        throw ConmanErrors.BuildCopyFailed(where, path, "follow the links of", "there are more than 40 in a row");
    }

    /// <summary>ADD's local tar (plain or gzip, told by its content: "ustar" at 257), unpacked as a layer is; false when it is no tar.</summary>
    private bool TryUnpack(ContextSource source, string where, CancellationToken cancel)
    {
        using var file = source.OpenFile(where);
        bool isTar;
        try
        {
            isTar = Decompressed(file, stream =>
            {
                var header = new byte[512];
                return stream.ReadAtLeast(header, 512, throwOnEndOfStream: false) == 512 && Encoding.ASCII.GetString(header, 257, 5) == "ustar";
            });
        }
        catch (InvalidDataException)
        {
            return false;
        }
        if (!isTar) return false;
        file.Position = 0;
        // No entry reaches outside the folder: the unpacker refuses names with "..", absolute ones and any through a link.
        Decompressed(file, stream => LayerUnpacker.Unpack(stream, Folder, [], $"{where}: {source.Named}", cancel));
        return true;
    }

    private static T Decompressed<T>(FileStream file, Func<Stream, T> read)
    {
        Span<byte> magic = stackalloc byte[2];
        int count = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (count < 2 || magic[0] != 0x1f || magic[1] != 0x8b) return read(file);
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        return read(gzip);
    }

    private static SafeFileHandle OpenFolder(ContextSource source, string where)
    {
        int fd = LibC.openat(Fd(source.Handle), ".", LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.BuildCopyFailed(where, source.Named, "open", LibC.Errno);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static SafeFileHandle OpenAt(SafeFileHandle folder, string name, int flags, string where)
    {
        int fd = LibC.openat(Fd(folder), name, flags | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.BuildCopyFailed(where, name, "open", LibC.Errno);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static int Fd(SafeFileHandle handle) => BuildContext.Fd(handle);

    public void Dispose()
    {
        _folder.Dispose();
        // .NET deletes a link in the folder, never what it points to.
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
