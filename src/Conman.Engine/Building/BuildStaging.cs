using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Conman.Engine.Images;
using Conman.Native;

namespace Conman.Engine.Building;

/// <summary>
/// What one COPY or ADD puts into the image, laid out in a temp folder first: the sources from the
/// build context (less what .dockerignore leaves out) or from another stage, a folder's contents
/// rather than the folder (as COPY has it), a local tar unpacked (ADD), owners set by --chown.
/// Its digest (paths, types, modes, owners, contents, link targets; not times) keys the build cache,
/// so a changed file rebuilds from that step.
/// </summary>
internal sealed unsafe class BuildStaging : IDisposable
{
    private BuildStaging(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The one file a COPY of a single file to a path not ending in "/" names: copied as that path, unless a folder is there.</summary>
    public string? SingleFile { get; private set; }

    public static BuildStaging Create(string folder)
    {
        Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
        return new BuildStaging(folder);
    }

    /// <summary>Stages the context's <paramref name="sources"/> (wildcards allowed); <paramref name="unpackTars"/> for ADD.</summary>
    public void AddFromContext(string context, DockerIgnore ignore, IReadOnlyList<string> sources, bool destinationIsFolder, bool unpackTars, string where)
    {
        var matched = new List<string>();
        foreach (string source in sources)
        {
            string clean = Clean(source, where);
            var found = clean.IndexOfAny(['*', '?', '[']) >= 0 ? Glob(context, clean, ignore) : [clean];
            foreach (string relative in found)
            {
                string path = relative.Length == 0 ? context : Path.Combine(context, relative);
                bool exists = File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
                if (!exists || (relative.Length > 0 && ignore.Ignores(relative))) throw ConmanErrors.BuildSourceNotFound(where, source);
                matched.Add(relative);
            }
            if (found.Count == 0) throw ConmanErrors.BuildSourceNotFound(where, source);
        }
        foreach (string relative in matched)
        {
            string path = relative.Length == 0 ? context : Path.Combine(context, relative);
            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                CopyTree(path, Folder, relative, ignore);
            }
            else if (unpackTars && IsTar(path))
            {
                Unpack(path, where);
            }
            else
            {
                CopyEntry(path, Path.Combine(Folder, Path.GetFileName(path)));
                if (matched.Count == 1 && !destinationIsFolder) SingleFile = Path.GetFileName(path);
            }
        }
    }

    /// <summary>Sets every staged entry's owner (--chown).</summary>
    public void SetOwner(uint uid, uint gid)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(Folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            LibC.lchown(entry, uid, gid);
        }
    }

    /// <summary>The digest of what is staged, for the build cache.</summary>
    public Digest Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"single {SingleFile}\n"));
        var entries = Directory.EnumerateFileSystemEntries(Folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => Path.GetRelativePath(Folder, e)).Order(StringComparer.Ordinal);
        var buffer = new byte[1 << 16];
        foreach (string relative in entries)
        {
            string path = Path.Combine(Folder, relative);
            LibC.FileStatus status;
            if (LibC.lstat(path, &status) != 0) continue;
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{status.Mode}\0{status.Uid}\0{status.Gid}\0{status.Size}\0"));
            if (status.Type == LibC.S_IFLNK) hash.AppendData(Encoding.UTF8.GetBytes(new FileInfo(path).LinkTarget ?? ""));
            if (status.Type != LibC.S_IFREG) continue;
            using var file = File.OpenRead(path);
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

    private static List<string> Glob(string context, string pattern, DockerIgnore ignore)
    {
        var regex = DockerIgnore.ToRegex(pattern);
        int depth = pattern.Split('/').Length;
        return Directory.EnumerateFileSystemEntries(context, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => Path.GetRelativePath(context, e).Replace('\\', '/'))
            .Where(r => r.Split('/').Length == depth && regex.IsMatch(r) && !ignore.Ignores(r))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A context folder's contents into <paramref name="target"/>, less what .dockerignore leaves out; links copied as links.</summary>
    private static void CopyTree(string folder, string target, string relative, DockerIgnore ignore)
    {
        Directory.CreateDirectory(target);
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(entry);
            string childRelative = relative.Length == 0 ? name : relative + "/" + name;
            if (ignore.Ignores(childRelative)) continue;
            string destination = Path.Combine(target, name);
            if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
            {
                CopyTree(entry, destination, childRelative, ignore);
                CopyMetadata(entry, destination);
            }
            else
            {
                CopyEntry(entry, destination);
            }
        }
    }

    /// <summary>A file, link or node, with its owner, mode and time.</summary>
    private static void CopyEntry(string source, string destination)
    {
        var info = new FileInfo(source);
        if (info.LinkTarget is { } link) File.CreateSymbolicLink(destination, link);
        else if (info.Exists) File.Copy(source, destination, overwrite: true);
        else return;
        CopyMetadata(source, destination);
    }

    private static void CopyMetadata(string source, string destination)
    {
        LibC.FileStatus status;
        if (LibC.lstat(source, &status) != 0) return;
        LibC.lchown(destination, status.Uid, status.Gid);
        if (status.Type != LibC.S_IFLNK) LibC.chmod(destination, status.Mode & 0xFFF);
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = status.ModificationTime;
        times[1] = status.ModificationTime;
        LibC.utimensat(LibC.AT_FDCWD, destination, times, LibC.AT_SYMLINK_NOFOLLOW);
    }

    /// <summary>A tar (plain or gzip) by its content, as ADD tells them: "ustar" at 257, after gunzip if gzipped.</summary>
    private static bool IsTar(string path)
    {
        try
        {
            using var stream = Open(path);
            var header = new byte[512];
            return stream.ReadAtLeast(header, 512, throwOnEndOfStream: false) == 512 && Encoding.ASCII.GetString(header, 257, 5) == "ustar";
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>ADD's local tar, unpacked as a layer is (no entry reaches outside the folder).</summary>
    private void Unpack(string path, string where)
    {
        using var stream = Open(path);
        LayerUnpacker.Unpack(stream, Folder, [], $"{where}: {Path.GetFileName(path)}", CancellationToken.None);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
