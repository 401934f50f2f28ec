using System.Formats.Tar;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Where an export writes its files: a folder (an OCI layout) or a tar archive. Either is built
/// under a temporary name beside the destination and renamed into place only when complete, so
/// a failed or cancelled export leaves nothing, and an existing archive is replaced whole.
/// </summary>
internal abstract class ExportTarget : IDisposable
{
    protected ExportTarget(string destination)
    {
        Destination = destination;
        TempPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(destination))!, $".{Path.GetFileName(destination)}.conman-{Guid.NewGuid():N}");
    }

    protected string Destination { get; }
    protected string TempPath { get; }

    /// <param name="noClobber">Refuse to replace an existing archive.</param>
    public static ExportTarget Create(string destination, bool folder, bool noClobber) =>
        folder ? new FolderTarget(destination) : new ArchiveTarget(destination, noClobber);

    public abstract void AddFile(string name, byte[] content);

    /// <summary>Adds the file at <paramref name="source"/>, which the target may take (move) rather than copy.</summary>
    public abstract void AddFile(string name, string source);

    /// <summary>Puts the finished export in place.</summary>
    public abstract void Commit();

    public abstract void Dispose();

    private sealed class FolderTarget : ExportTarget
    {
        public FolderTarget(string destination) : base(destination)
        {
            if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any() || File.Exists(destination))
            {
                throw ConmanErrors.ExportPathExists(destination);
            }
            Directory.CreateDirectory(TempPath);
        }

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

        public ArchiveTarget(string destination, bool noClobber) : base(destination)
        {
            if (Directory.Exists(destination) || noClobber && File.Exists(destination)) throw ConmanErrors.ExportPathExists(destination);
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
