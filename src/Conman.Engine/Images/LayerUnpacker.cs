using System.Formats.Tar;
using System.Runtime.InteropServices;
using Conman.Engine.Spec;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Images;

/// <summary>
/// Unpacks one layer's tar into an empty snapshot folder, as overlayfs wants it: whiteouts
/// (".wh.name") become 0:0 character devices, opaque markers (".wh..wh..opq") the
/// trusted.overlay.opaque attribute of their folder. Ownership, modes, timestamps, hard links,
/// symbolic links and device nodes are kept.
///
/// Layers are untrusted. No entry may reach outside the snapshot: a name that is absolute or has
/// a ".." is refused, and so is an entry whose folder is, in this layer or in a lower one, a
/// symbolic link (a link is created as it is, but nothing is ever written through one). Every
/// call here acts on the last path component itself, never following a link there. A refused
/// entry fails the whole layer; the caller deletes the half-made snapshot.
/// </summary>
internal sealed unsafe class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const uint DefaultFolderMode = 0x1ED; // 0755

    private readonly string _tree;
    private readonly RootFsView _lower;
    private readonly string _layer;
    private readonly List<(string Path, DateTimeOffset Time)> _folderTimes = [];
    private readonly TarSplitRecorder? _recorder;

    /// <param name="tree">The empty folder the layer is unpacked into.</param>
    /// <param name="lowerTrees">The unpacked layers below this one, the nearest first.</param>
    /// <param name="layer">Names the layer in errors.</param>
    /// <param name="recorder">Told where each file's content goes, so the tar can be written again.</param>
    private LayerUnpacker(string tree, IReadOnlyList<string> lowerTrees, string layer, TarSplitRecorder? recorder)
    {
        _recorder = recorder;
        _tree = tree;
        _lower = new RootFsView(lowerTrees);
        _layer = layer;
    }

    /// <summary>Unpacks the (uncompressed) tar; returns the bytes of file content written.</summary>
    public static long Unpack(Stream tar, string tree, IReadOnlyList<string> lowerTrees, string layer, CancellationToken cancel,
        TarSplitRecorder? recorder = null)
    {
        var unpacker = new LayerUnpacker(tree, lowerTrees, layer, recorder);
        long written = 0;
        using var reader = new TarReader(tar, leaveOpen: true);
        try
        {
            while (reader.GetNextEntry() is { } entry)
            {
                cancel.ThrowIfCancellationRequested();
                written += unpacker.Apply(entry);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ConmanErrors.InvalidLayer(layer, e);
        }
        // Folder times last: creating an entry inside a folder changes the folder's own.
        for (int i = unpacker._folderTimes.Count - 1; i >= 0; i--)
        {
            var (path, time) = unpacker._folderTimes[i];
            SetTimes(path, time);
        }
        return written;
    }

    private long Apply(TarEntry entry)
    {
        string relative = Normalize(entry.Name, entry.Name);
        if (relative.Length == 0)
        {
            // "./": the layer's root folder.
            if (entry.EntryType == TarEntryType.Directory) SetOwnerAndMode(_tree, entry, isLink: false);
            return 0;
        }
        string parent = Path.GetDirectoryName(relative) ?? "";
        string name = Path.GetFileName(relative);
        string parentPath = EnsureFolder(parent, entry.Name);

        if (name == OpaqueMarker)
        {
            SetAttribute(parentPath, "trusted.overlay.opaque", "y"u8);
            return 0;
        }
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            string hidden = name[WhiteoutPrefix.Length..];
            // ".wh..wh.*" other than the opaque marker are aufs bookkeeping, meaningless here.
            if (hidden.StartsWith(WhiteoutPrefix, StringComparison.Ordinal)) return 0;
            if (hidden.Length == 0 || hidden == "." || hidden == "..") throw Hostile(entry.Name, "a whiteout must name an entry");
            string whiteout = Path.Combine(parentPath, hidden);
            RemoveExisting(whiteout, keepFolder: false);
            Check(LibC.mknod(whiteout, LibC.S_IFCHR, 0), "create the whiteout", entry.Name);
            return 0;
        }

        string path = Path.Combine(parentPath, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!RemoveExisting(path, keepFolder: true)) Check(LibC.mkdir(path, 0x1C0), "create the folder", entry.Name);
                SetOwnerAndMode(path, entry, isLink: false);
                _folderTimes.Add((path, entry.ModificationTime));
                return 0;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path, keepFolder: false);
                _recorder?.BeginFile(relative);
                long length = WriteFile(path, entry);
                _recorder?.EndFile(length);
                SetOwnerAndMode(path, entry, isLink: false);
                SetTimes(path, entry.ModificationTime);
                return length;
            case TarEntryType.SymbolicLink:
                RemoveExisting(path, keepFolder: false);
                if (string.IsNullOrEmpty(entry.LinkName)) throw Hostile(entry.Name, "a symbolic link needs a target");
                Check(LibC.symlink(entry.LinkName, path), "create the symbolic link", entry.Name);
                SetOwnerAndMode(path, entry, isLink: true);
                SetTimes(path, entry.ModificationTime);
                return 0;
            case TarEntryType.HardLink:
                string target = HardLinkTarget(entry);
                RemoveExisting(path, keepFolder: false);
                Check(LibC.linkat(LibC.AT_FDCWD, target, LibC.AT_FDCWD, path, 0), "create the hard link", entry.Name);
                return 0;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                RemoveExisting(path, keepFolder: false);
                uint type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => LibC.S_IFCHR,
                    TarEntryType.BlockDevice => LibC.S_IFBLK,
                    _ => LibC.S_IFIFO,
                };
                var posix = (PosixTarEntry)entry;
                ulong device = type == LibC.S_IFIFO ? 0 : LibC.MakeDevice((uint)posix.DeviceMajor, (uint)posix.DeviceMinor);
                Check(LibC.mknod(path, type | 0x180, device), "create the device node", entry.Name);
                SetOwnerAndMode(path, entry, isLink: false);
                SetTimes(path, entry.ModificationTime);
                return 0;
            default:
                throw ConmanErrors.UnsupportedLayerEntry(_layer, entry.Name, entry.EntryType.ToString());
        }
    }

    /// <summary>
    /// The entry's path inside the snapshot: "./" prefixes and "." parts dropped; absolute paths
    /// and any ".." refused outright, since no honest layer needs them.
    /// </summary>
    private string Normalize(string name, string entryName)
    {
        if (name.Contains('\0')) throw Hostile(entryName, "the name has a NUL byte");
        if (name.StartsWith('/')) throw Hostile(entryName, "the path is absolute");
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") throw Hostile(entryName, "the path has '..'");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>
    /// Makes sure every folder of <paramref name="relative"/> is a real folder of this layer,
    /// creating missing ones; refuses to go through a symbolic link, here or below.
    /// </summary>
    private string EnsureFolder(string relative, string entryName)
    {
        string path = _tree;
        string walked = "";
        foreach (string part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked = walked.Length == 0 ? part : walked + "/" + part;
            path = Path.Combine(path, part);
            LibC.FileStatus status;
            if (LibC.lstat(path, &status) == 0)
            {
                if (status.Type == LibC.S_IFLNK) throw Hostile(entryName, $"its folder '{walked}' is a symbolic link placed by an earlier entry");
                if (status.Type != LibC.S_IFDIR) throw Hostile(entryName, $"its folder '{walked}' is not a folder");
                continue;
            }
            // Walked with lstat, layer by layer: looking follows no link either.
            if (_lower.Find(walked) is { Status.Type: LibC.S_IFLNK }) throw Hostile(entryName, $"its folder '{walked}' is a symbolic link in a lower layer");
            Check(LibC.mkdir(path, DefaultFolderMode), "create the folder", entryName);
        }
        return path;
    }

    /// <summary>
    /// Removes what an earlier entry of this layer left at <paramref name="path"/>, as tar does.
    /// Returns true when a folder was kept (a folder entry over a folder only updates it).
    /// </summary>
    private bool RemoveExisting(string path, bool keepFolder)
    {
        LibC.FileStatus status;
        if (LibC.lstat(path, &status) != 0) return false;
        if (status.Type == LibC.S_IFDIR)
        {
            if (keepFolder) return true;
            // .NET deletes a folder's symbolic links themselves, never what they point to.
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
        _recorder?.EntryReplaced();
        return false;
    }

    private string HardLinkTarget(TarEntry entry)
    {
        string relative = Normalize(entry.LinkName, entry.Name);
        if (relative.Length == 0) throw Hostile(entry.Name, "a hard link must name a file");
        string path = _tree;
        string[] parts = relative.Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            path = Path.Combine(path, parts[i]);
            LibC.FileStatus status;
            if (LibC.lstat(path, &status) != 0) throw Hostile(entry.Name, $"its hard link target '{entry.LinkName}' is not an earlier entry of this layer");
            bool last = i == parts.Length - 1;
            if (!last && status.Type != LibC.S_IFDIR) throw Hostile(entry.Name, $"its hard link target '{entry.LinkName}' goes through '{string.Join('/', parts[..(i + 1)])}', which is not a folder");
            if (last && status.Type == LibC.S_IFDIR) throw Hostile(entry.Name, "a hard link cannot point to a folder");
        }
        return path;
    }

    private static long WriteFile(string path, TarEntry entry)
    {
        int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x180);
        Check(fd < 0 ? -1 : 0, "create the file", entry.Name);
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        using var file = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        if (entry.DataStream is { } data) data.CopyTo(file, 1 << 20);
        return entry.Length;
    }

    private static void SetOwnerAndMode(string path, TarEntry entry, bool isLink)
    {
        Check(LibC.lchown(path, (uint)entry.Uid, (uint)entry.Gid), "set the owner of", entry.Name);
        // After chown, which clears set-user-id bits. A link has no mode of its own.
        if (!isLink) Check(LibC.chmod(path, (uint)entry.Mode & 0xFFF), "set the mode of", entry.Name);
    }

    private static void SetTimes(string path, DateTimeOffset time)
    {
        long ticks = (time.UtcDateTime - DateTime.UnixEpoch).Ticks;
        var spec = new LibC.TimeSpec { Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest), Nanoseconds = rest * 100 };
        if (spec.Nanoseconds < 0)
        {
            spec.Seconds -= 1;
            spec.Nanoseconds += 1_000_000_000;
        }
        var times = stackalloc LibC.TimeSpec[2];
        times[0] = spec;
        times[1] = spec;
        // Best effort, as tar's: a time outside what the file system can hold is not worth failing for.
        LibC.utimensat(LibC.AT_FDCWD, path, times, LibC.AT_SYMLINK_NOFOLLOW);
    }

    private static void SetAttribute(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* bytes = value)
        {
            Check(LibC.lsetxattr(path, name, bytes, (nuint)value.Length, 0), $"set {name} on", path);
        }
    }

    private static void Check(int result, string action, string entryName)
    {
        if (result == 0) return;
        int errno = LibC.Errno;
        throw ConmanErrors.LayerUnpackFailed(action, entryName, errno, Marshal.GetPInvokeErrorMessage(errno));
    }

    private ConmanException Hostile(string entryName, string reason) => ConmanErrors.UnsafeLayerEntry(_layer, entryName, reason);
}
