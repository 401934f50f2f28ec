using Conman.Engine.Containers;
using Conman.Engine.Files;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>Files in and out of containers (docker cp), and what a container changed (docker diff).</summary>
public sealed class FileService
{
    private readonly EngineContext _context;

    internal FileService(EngineContext context) => _context = context;

    private StoreLayout Layout => _context.Layout;
    private ContainerStore Store => _context.Store;

    /// <summary>
    /// Copies <paramref name="containerPath"/> out of the container to <paramref name="hostPath"/>:
    /// into it when it is a folder, else as it. Owners, modes, times and links are kept; device
    /// nodes and FIFOs are copied as nodes; the kernel's file systems (/proc, /sys) as their empty
    /// mount points (<see cref="Files.KernelFileSystems"/>).
    /// </summary>
    public void CopyFromContainer(string idOrName, string containerPath, string hostPath, CancellationToken cancel = default)
    {
        ValidateContainerPath(containerPath);
        if (hostPath.Contains('\0')) throw ConmanErrors.InvalidHostPath("The destination", hostPath);
        var owners = UserNamespaces.OwnerMap.Of(Store.Resolve(idOrName).Definition);
        HostIo.Guard($"Copying {containerPath} out of the container '{idOrName}'", idOrName, () => WithRoot(idOrName, (root, name) =>
        {
            var (folder, entry) = root.Parent(containerPath);
            using (folder)
            {
                bool whole = entry.Length == 0;
                string source = whole ? "." : entry;
                string target = Directory.Exists(hostPath) && !whole ? Path.Combine(hostPath, entry) : hostPath;
                if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(target)))) throw ConmanErrors.HostPathNotFound(Path.GetDirectoryName(Path.GetFullPath(target))!);
                using var copier = new EntryCopier(name, cancel, owners);
                if (!copier.Exists(folder, source)) throw ConmanErrors.ContainerPathNotFound(name, containerPath);
                copier.CopyOut(folder, source, target, containerPath);
            }
        }));
    }

    /// <summary>
    /// Copies <paramref name="hostPath"/> into the container at <paramref name="containerPath"/>:
    /// into it when it is a folder there, else as it (replacing a file). Owners, modes, times and links are kept.
    /// </summary>
    public void CopyToContainer(string idOrName, string hostPath, string containerPath, CancellationToken cancel = default)
    {
        ValidateContainerPath(containerPath);
        if (hostPath.Contains('\0')) throw ConmanErrors.InvalidHostPath("The source", hostPath);
        if (!File.Exists(hostPath) && !Directory.Exists(hostPath) && new FileInfo(hostPath).LinkTarget is null) throw ConmanErrors.HostPathNotFound(hostPath);
        var owners = UserNamespaces.OwnerMap.Of(Store.Resolve(idOrName).Definition);
        HostIo.Guard($"Copying {hostPath} into the container '{idOrName}'", idOrName, () => WithRoot(idOrName, (root, name) =>
        {
            var into = root.TryOpenFolder(containerPath);
            var (folder, entry) = into is not null ? (into, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath)))) : root.Parent(containerPath);
            using (folder)
            {
                if (entry.Length == 0) throw ConmanErrors.ContainerPathNotFound(name, containerPath);
                using var copier = new EntryCopier(name, cancel, owners);
                copier.CopyIn(hostPath, folder, entry, containerPath);
            }
        }));
    }

    /// <summary>
    /// What the container changed in its root filesystem (docker diff): each entry of its own
    /// layer, Added when no layer below has it, Changed when one has, Deleted for a whiteout.
    /// </summary>
    public IReadOnlyList<ContainerChange> Changes(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        string upper = Layout.UpperLayer(record.Id);
        if (!Directory.Exists(upper)) return [];
        var definition = record.Definition;
        var lowers = definition.Snapshots.Count > 0 ? _context.Images.TreesOf(definition.Snapshots) : [definition.RootFs];
        // What runc made to mount over (/proc, /dev, /sys, volumes' targets) is the container's
        // set-up, not its change: Docker keeps those in an init layer that diff and commit leave out.
        var mountPoints = MountPoints(record.Id);
        return ContainerLayerWalk.Changes(upper, new Spec.RootFsView(lowers))
            .Where(c => !(c.Kind == ContainerChangeKind.Added && mountPoints.Contains(c.Path))).ToList();
    }

    /// <summary>The mount destinations of the container's last spec (config.json); none before its first start.</summary>
    internal IReadOnlySet<string> MountPoints(string id)
    {
        var points = new HashSet<string>(StringComparer.Ordinal);
        string spec = Layout.SpecPath(id);
        if (!File.Exists(spec)) return points;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(spec));
        if (!document.RootElement.TryGetProperty("mounts", out var mounts)) return points;
        foreach (var mount in mounts.EnumerateArray())
        {
            if (mount.TryGetProperty("destination", out var destination) && destination.GetString() is { } path) points.Add("/" + path.Trim('/'));
        }
        return points;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the container's root: a running container's through its
    /// init process (/proc/pid/root: what it sees, its volumes included); any other's through a
    /// mount of its layers made for the copy, under its lock so no start comes between, and
    /// taken down after.
    /// </summary>
    internal void WithRoot(string idOrName, Action<ContainerRoot, string> action)
    {
        var record = Store.Resolve(idOrName);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        if (TryOpenRunningRoot(record) is { } running)
        {
            using (running) action(running, record.Name);
            return;
        }
        using var _ = _context.LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        var state = Store.Inspect(record).State;
        if (state == ContainerState.Removing) throw ConmanErrors.ContainerRemoving(record.Name);
        if (state == ContainerState.Running) throw ConmanErrors.ContainerAlreadyRunning(record.Name);
        Layout.EnsureCreated();
        var acquired = AcquiredResources.Acquire([ContainerResources.RootFs(record, Layout, _context.Images)], record.Name);
        try
        {
            using var root = ContainerRoot.Open(Layout.MergedRootFs(record.Id), record.Name);
            action(root, record.Name);
        }
        finally
        {
            acquired.Unwind();
        }
    }

    /// <summary>The root of the container's running init, checked to be the same process after it was opened; null when not running.</summary>
    private ContainerRoot? TryOpenRunningRoot(ContainerRecord record)
    {
        if (Store.Inspect(record) is not { State: ContainerState.Running, Pid: int pid }) return null;
        ContainerRoot root;
        try
        {
            root = ContainerRoot.Open($"/proc/{pid}/root", record.Name);
        }
        catch (ConmanException)
        {
            return null;
        }
        if (Store.Inspect(record) is { State: ContainerState.Running, Pid: int again } && again == pid) return root;
        root.Dispose();
        return null;
    }

    private static void ValidateContainerPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0')) throw ConmanErrors.InvalidContainerPath(path);
    }
}
