using Conman.Engine.Spec;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Files;

/// <summary>
/// Walks a container's own (upper) layer, which its processes write: each folder is opened
/// relative to its parent's descriptor without following links, so a link the container made is
/// an entry, never a way elsewhere.
/// </summary>
internal static unsafe class ContainerLayerWalk
{
    /// <summary>Every entry below <paramref name="layer"/>, parents before children, by name: its path in the container, descriptor of its folder, name and lstat.</summary>
    public static IEnumerable<(string Path, SafeFileHandle Folder, string Name, LibC.FileStatus Status)> Entries(string layer)
    {
        int fd = LibC.open(layer, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) yield break;
        using var root = new SafeFileHandle(fd, ownsHandle: true);
        foreach (var entry in Below(root, "")) yield return entry;
    }

    private static IEnumerable<(string Path, SafeFileHandle Folder, string Name, LibC.FileStatus Status)> Below(SafeFileHandle folder, string path)
    {
        int dir = folder.DangerousGetHandle().ToInt32();
        var names = Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dir}").Select(p => System.IO.Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();
        foreach (string name in names)
        {
            if (Stat(dir, name) is not { } status) continue;
            string child = path + "/" + name;
            yield return (child, folder, name, status);
            if (status.Type != LibC.S_IFDIR) continue;
            int fd = LibC.openat(dir, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (fd < 0) continue;
            using var sub = new SafeFileHandle(fd, ownsHandle: true);
            foreach (var entry in Below(sub, child)) yield return entry;
        }
    }

    private static LibC.FileStatus? Stat(int dir, string name)
    {
        LibC.FileStatus status;
        return LibC.fstatat(dir, name, &status, LibC.AT_SYMLINK_NOFOLLOW) == 0 ? status : null;
    }

    public static IReadOnlyList<ContainerChange> Changes(string upper, RootFsView lowers) =>
        Entries(upper).Select(e => new ContainerChange(e.Path,
            IsWhiteout(e.Status) ? ContainerChangeKind.Deleted
            : lowers.Find(e.Path) is not null ? ContainerChangeKind.Changed
            : ContainerChangeKind.Added)).ToList();

    /// <summary>overlayfs's "deleted here": a character device 0:0.</summary>
    public static bool IsWhiteout(in LibC.FileStatus status) => status.Type == LibC.S_IFCHR && status.SpecialDevice == 0;
}
