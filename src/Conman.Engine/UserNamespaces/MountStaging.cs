using System.Globalization;
using System.Runtime.InteropServices;
using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// Where runc finds a user-namespaced container's root filesystem and bind-mount sources.
/// runc 1.1 mounts them from inside the new user namespace, as the container's root (host id
/// 100000, say), which may not enter the store's root-only folders: it fails with "permission
/// denied". So each is bind-mounted, on the host, under /run/conman/userns/&lt;id&gt;, and the
/// spec names those. The folder stays root's (mode 0710, its group the container root's gid), so
/// that the container's root may pass it but never put anything in it: a link planted where root
/// then makes a mount point would have root mount over, or truncate, what it points at. Its parents
/// are 0711: passable, not listable. runc 1.2 opens mount sources before it enters the namespace instead.
/// </summary>
/// <param name="owner">The container root's host ids: its gid is the folder's group, and both own the container's /etc files.</param>
internal sealed class MountStaging(string folder, (uint Uid, uint Gid) owner, string merged) : IHostResource
{
    public const string Parent = "/run/conman/userns";
    private const uint PassableFolderMode = 0x1c9; // 0711
    private const uint GroupPassableFolderMode = 0x1c8; // 0710

    private string RootPoint => Path.Combine(folder, "root");

    public void Acquire()
    {
        HostUndo.Run(Undo, Path.GetFileName(folder));
        StoreFolders.Create(Parent, (UnixFileMode)PassableFolderMode);
        // Made 0700 by older starts and by the run folders' code: the container's root must pass it.
        foreach (string passable in new[] { "/run/conman", Parent }) MakePassable(passable);
        StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        if (LibC.lchown(folder, 0, owner.Gid) != 0 || LibC.chmod(folder, GroupPassableFolderMode) != 0)
        {
            throw ConmanErrors.UserNamespaceSetupFailed(folder, "letting the container's root pass it", LibC.Errno);
        }
        Directory.CreateDirectory(RootPoint, FileModes.OwnerOnlyFolder);
        Bind(merged, RootPoint, recursive: false);
    }

    /// <summary>
    /// Points the spec's root and its bind mounts at staged copies; sources under /dev, /proc and
    /// /sys (devices, the host's /sys), which anyone may enter, are left as they are.
    /// </summary>
    /// <param name="containerFolder">Files of the container's own there (its /etc/hosts, hostname,
    /// resolv.conf) become the container root's, so that it may write them as Docker lets it.</param>
    public void Stage(OciSpec spec, string containerFolder)
    {
        foreach (var (_, source, point) in Staged(spec, folder))
        {
            bool isFolder = Directory.Exists(source);
            if (isFolder) Directory.CreateDirectory(point, FileModes.OwnerOnlyFolder);
            else File.Create(point).Dispose();
            Bind(source, point, recursive: true);
            if (!isFolder && Path.GetDirectoryName(source) == containerFolder && LibC.lchown(source, owner.Uid, owner.Gid) != 0)
            {
                throw ConmanErrors.UserNamespaceSetupFailed(source, "giving it to the container's root", LibC.Errno);
            }
        }
        Redirect(spec, folder);
    }

    /// <summary>
    /// Names the staged copies in the spec, as <see cref="Stage"/> made them for the run: for a
    /// spec derived again while the run is alive (an update of the definition), with nothing bound again.
    /// </summary>
    public static void Redirect(OciSpec spec, string folder)
    {
        var staged = Staged(spec, folder).ToList();
        spec.Root.Path = Path.Combine(folder, "root");
        for (int i = 0; i < spec.Mounts.Count; i++)
        {
            if (staged.FirstOrDefault(s => s.Index == i) is { Point: { } point }) spec.Mounts[i] = spec.Mounts[i] with { Source = point };
        }
    }

    /// <summary>The bind mounts runc could not reach, each with its staged point (m and its index in the spec's mounts).</summary>
    private static IEnumerable<(int Index, string Source, string Point)> Staged(OciSpec spec, string folder) =>
        spec.Mounts.Select((mount, i) => (mount, i))
            .Where(m => m.mount.Type == "bind" && !IsPassable(m.mount.Source))
            .Select(m => (m.i, m.mount.Source, Path.Combine(folder, "m" + m.i.ToString(CultureInfo.InvariantCulture))));

    /// <summary>
    /// Each staged mount found in the folder (a killed start's too): unmounted and its point
    /// removed, never following a mount nor recursing into one that stayed; then the folder.
    /// </summary>
    public IEnumerable<TeardownStep> Undo
    {
        get
        {
            if (!Directory.Exists(folder)) return [];
            var steps = new List<TeardownStep>();
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
            {
                steps.Add(new TeardownStep { Unmount = entry });
                steps.Add(Directory.Exists(entry) ? new TeardownStep { RemoveFolder = entry } : new TeardownStep { RemoveFile = entry });
            }
            steps.Add(new TeardownStep { RemoveFolder = folder });
            return steps;
        }
    }

    private static bool IsPassable(string source) =>
        new[] { "/dev", "/proc", "/sys" }.Any(top => source == top || source.StartsWith(top + "/", StringComparison.Ordinal));

    private static void Bind(string source, string target, bool recursive)
    {
        if (LibC.mount(source, target, "", LibC.MS_BIND | (recursive ? LibC.MS_REC : 0), null) != 0)
        {
            int errno = LibC.Errno;
            throw ConmanErrors.UserNamespaceSetupFailed(source, "a bind mount for runc", errno, Marshal.GetPInvokeErrorMessage(errno));
        }
    }

    private static unsafe void MakePassable(string path)
    {
        LibC.FileStatus status;
        if (LibC.lstat(path, &status) != 0) return;
        if ((status.Mode & 0x1) == 0 && LibC.chmod(path, (status.Mode & 0xfff) | 0x9) != 0)
        {
            throw ConmanErrors.UserNamespaceSetupFailed(path, "letting the container's root pass it", LibC.Errno);
        }
    }
}
