using System.Formats.Tar;
using Conman.Engine.Files;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Writes a folder as a layer tar (PAX, entries by name, parents first): a container's own
/// overlayfs layer for a commit or a build step, with its whiteouts (0:0 character devices) as
/// ".wh.&lt;name&gt;" entries and its opaque folders (trusted.overlay.opaque=y) followed by a
/// ".wh..wh..opq" entry, as the OCI layer spec has them; or a whole root filesystem folder. The
/// folder may be a container's, written by its processes: it is walked by descriptors without
/// following links (<see cref="ContainerLayerWalk"/>), and each entry is written as its pinned
/// descriptor says it is (<see cref="PinnedEntry"/>): a device node or a FIFO is a header, never
/// opened. Owners, modes, times, links, hard links, devices and fifos are kept; sockets are left out.
/// </summary>
internal static unsafe class LayerTarWriter
{
    /// <param name="skip">Paths left out ("/proc"): mount points runc made, with what is below them.</param>
    /// <param name="owners">A user-namespaced container's maps: its layer holds host ids, the tar the container's.</param>
    public static void Write(string folder, Stream destination, IReadOnlySet<string> skip, CancellationToken cancel,
        UserNamespaces.OwnerMap? owners = null)
    {
        long start = destination.Position;
        using (var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true)) WriteEntries(folder, tar, skip, owners ?? UserNamespaces.OwnerMap.Host, cancel);
        // A step that changed nothing is an empty layer: a tar of its two end blocks alone, which
        // .NET's writer leaves out when it wrote no entry.
        if (destination.Position == start) destination.Write(new byte[1024]);
    }

    private static void WriteEntries(string folder, TarWriter tar, IReadOnlySet<string> skip, UserNamespaces.OwnerMap owners, CancellationToken cancel)
    {
        PaxTarEntry Entry(TarEntryType type, string name, in LibC.FileStatus status) => OwnedEntry(type, name, status, owners);
        var links = new Dictionary<(ulong, ulong), string>();
        string? skipped = null;
        foreach (var (path, parent, name, walked) in ContainerLayerWalk.Entries(folder))
        {
            cancel.ThrowIfCancellationRequested();
            if (skipped is not null && path.StartsWith(skipped + "/", StringComparison.Ordinal)) continue;
            if (skip.Contains(path))
            {
                skipped = path;
                continue;
            }
            string entryName = path[1..];
            int dir = parent.DangerousGetHandle().ToInt32();
            if (walked.Type == LibC.S_IFDIR)
            {
                // Folders are walked into by the walk itself; here they are headers alone.
                tar.WriteEntry(Entry(TarEntryType.Directory, entryName + "/", walked));
                if (IsOpaque(dir, name)) tar.WriteEntry(Entry(TarEntryType.RegularFile, entryName + "/.wh..wh..opq", walked with { Mode = 0 }));
                continue;
            }
            // Any other entry is written as its pinned descriptor says it is now, never as the walk
            // saw it a moment before: a running container may have swapped a device node or a FIFO in.
            using var entry = PinnedEntry.Open(dir, name);
            if (entry is null) continue;
            var status = entry.Status;
            if (ContainerLayerWalk.IsWhiteout(status))
            {
                string? folderPart = Path.GetDirectoryName(entryName);
                tar.WriteEntry(Entry(TarEntryType.RegularFile, (string.IsNullOrEmpty(folderPart) ? "" : folderPart + "/") + ".wh." + name, status with { Mode = 0 }));
                continue;
            }
            switch (status.Type)
            {
                case LibC.S_IFDIR:
                    // A folder swapped in after the walk looked: its header, not what is in it.
                    tar.WriteEntry(Entry(TarEntryType.Directory, entryName + "/", status));
                    break;
                case LibC.S_IFREG:
                    if (status.LinkCount > 1 && links.TryGetValue((status.Device, status.Inode), out string? first))
                    {
                        var link = Entry(TarEntryType.HardLink, entryName, status);
                        link.LinkName = first;
                        tar.WriteEntry(link);
                        break;
                    }
                    using (var file = entry.OpenContent() ?? throw ConmanErrors.CopyFailed(folder, path, "read", LibC.Errno))
                    {
                        var regular = Entry(TarEntryType.RegularFile, entryName, status);
                        regular.DataStream = file;
                        tar.WriteEntry(regular);
                    }
                    if (status.LinkCount > 1) links[(status.Device, status.Inode)] = entryName;
                    break;
                case LibC.S_IFLNK:
                    var symlink = Entry(TarEntryType.SymbolicLink, entryName, status);
                    symlink.LinkName = entry.LinkTarget() ?? throw ConmanErrors.CopyFailed(folder, path, "read the link", LibC.Errno);
                    tar.WriteEntry(symlink);
                    break;
                case LibC.S_IFCHR or LibC.S_IFBLK or LibC.S_IFIFO:
                    var type = status.Type switch { LibC.S_IFCHR => TarEntryType.CharacterDevice, LibC.S_IFBLK => TarEntryType.BlockDevice, _ => TarEntryType.Fifo };
                    var node = Entry(type, entryName, status);
                    if (type != TarEntryType.Fifo)
                    {
                        node.DeviceMajor = (int)Major(status.SpecialDevice);
                        node.DeviceMinor = (int)Minor(status.SpecialDevice);
                    }
                    tar.WriteEntry(node);
                    break;
            }
        }
    }

    private static PaxTarEntry OwnedEntry(TarEntryType type, string name, in LibC.FileStatus status, UserNamespaces.OwnerMap owners)
    {
        var (uid, gid) = owners.ToContainer(status.Uid, status.Gid);
        return new PaxTarEntry(type, name)
        {
            Uid = (int)uid,
            Gid = (int)gid,
            Mode = (UnixFileMode)(status.Mode & 0xFFF),
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.ModificationTime.Seconds),
        };
    }

    private static bool IsOpaque(int dir, string name)
    {
        byte value;
        return LibC.lgetxattr($"/proc/self/fd/{dir}/{name}", "trusted.overlay.opaque", &value, 1) == 1 && value == (byte)'y';
    }

    private static ulong Major(ulong device) => ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffUL);
    private static ulong Minor(ulong device) => (device & 0xff) | ((device >> 12) & ~0xffUL);
}
