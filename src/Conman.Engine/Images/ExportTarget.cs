using System.Formats.Tar;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Where an export writes its files: a folder (an OCI layout) or a tar archive. Either is built
/// under a temporary name beside the destination and renamed into place only when complete, so
/// a failed or cancelled export leaves nothing, and an existing archive is replaced whole.
/// </summary>
internal abstract unsafe class ExportTarget : IDisposable
{
    protected ExportTarget(string destination)
    {
        Destination = destination;
        TempPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(destination))!, $".{Path.GetFileName(destination)}.conman-{Guid.NewGuid():N}");
    }

    protected string Destination { get; }
    protected string TempPath { get; }

    /// <summary>A target at a destination <see cref="CheckDestination"/> took.</summary>
    public static ExportTarget Create(string destination, bool folder) => folder ? new FolderTarget(destination) : new ArchiveTarget(destination);

    /// <summary>
    /// docker save -o's rules (moby's atomicwriter): the folder the export goes in must exist, and
    /// the path must hold nothing, or what the export replaces: a regular file for an archive
    /// (unless <paramref name="noClobber"/>), an empty folder for a layout. Never a symbolic link:
    /// the rename would replace the link itself (it once replaced /dev/stdout with a file), and
    /// writing through it would write wherever it points; nor a FIFO, a socket or a device.
    /// </summary>
    /// <param name="noClobber">Refuse to replace an existing archive.</param>
    public static void CheckDestination(string destination, bool folder, bool noClobber)
    {
        if (destination.Contains('\0')) throw ConmanErrors.InvalidHostPath("The export's path", destination);
        string full = Path.GetFullPath(destination);
        string parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) throw ConmanErrors.HostPathNotFound(parent);
        LibC.FileStatus present;
        if (LibC.lstat(full, &present) != 0) return;
        switch (present.Type)
        {
            case LibC.S_IFDIR when folder && !Directory.EnumerateFileSystemEntries(full).Any():
            case LibC.S_IFREG when !folder && !noClobber:
                return;
            case LibC.S_IFDIR or LibC.S_IFREG:
                throw ConmanErrors.ExportPathExists(destination);
            case LibC.S_IFLNK:
                throw ConmanErrors.InvalidExportPath(destination, "a symbolic link");
            case LibC.S_IFIFO:
                throw ConmanErrors.InvalidExportPath(destination, "a FIFO");
            case LibC.S_IFCHR or LibC.S_IFBLK:
                throw ConmanErrors.InvalidExportPath(destination, "a device");
            default:
                throw ConmanErrors.InvalidExportPath(destination, "a socket");
        }
    }

    public abstract void AddFile(string name, byte[] content);

    /// <summary>Adds the file at <paramref name="source"/>, which the target may take (move) rather than copy.</summary>
    public abstract void AddFile(string name, string source);

    /// <summary>Puts the finished export in place.</summary>
    public abstract void Commit();

    public abstract void Dispose();

    private sealed class FolderTarget : ExportTarget
    {
        public FolderTarget(string destination) : base(destination) => Directory.CreateDirectory(TempPath);

        public override void AddFile(string name, byte[] content)
        {
            string path = PathOf(name);
            File.WriteAllBytes(path, content);
        }

        public override void AddFile(string name, string source) => File.Move(source, PathOf(name));

        private string PathOf(string name)
        {
            string path = Path.Combine(TempPath, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return path;
        }

        public override void Commit()
        {
            // An empty folder given as the destination is taken over, as skopeo's oci: does.
            if (Directory.Exists(Destination)) Directory.Delete(Destination);
            Directory.Move(TempPath, Destination);
        }

        public override void Dispose()
        {
            if (Directory.Exists(TempPath)) Directory.Delete(TempPath, recursive: true);
        }
    }

    private sealed class ArchiveTarget : ExportTarget
    {
        private readonly FileStream _file;
        private readonly TarWriter _tar;
        private readonly HashSet<string> _folders = new(StringComparer.Ordinal);

        public ArchiveTarget(string destination) : base(destination)
        {
            _file = new FileStream(TempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileModes.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                BufferSize = 1 << 16,
            });
            _tar = new TarWriter(_file, TarEntryFormat.Ustar, leaveOpen: true);
        }

        public override void AddFile(string name, byte[] content)
        {
            using var stream = new MemoryStream(content, writable: false);
            Add(name, stream);
        }

        public override void AddFile(string name, string source)
        {
            using (var stream = File.OpenRead(source)) Add(name, stream);
            File.Delete(source);
        }

        private void Add(string name, Stream content)
        {
            string[] parts = name.Split('/');
            for (int i = 1; i < parts.Length; i++)
            {
                string folder = string.Join('/', parts[..i]) + "/";
                if (_folders.Add(folder)) _tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, folder) { Mode = Folder, ModificationTime = DateTimeOffset.UnixEpoch });
            }
            // Fixed modes and times: the same images export to the same bytes.
            _tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = Regular, ModificationTime = DateTimeOffset.UnixEpoch, DataStream = content });
        }

        private const UnixFileMode Regular = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        private const UnixFileMode Folder = Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

        public override void Commit()
        {
            _tar.Dispose();
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            File.Move(TempPath, Destination, overwrite: true);
        }

        public override void Dispose()
        {
            _tar.Dispose();
            _file.Dispose();
            File.Delete(TempPath);
        }
    }
}
