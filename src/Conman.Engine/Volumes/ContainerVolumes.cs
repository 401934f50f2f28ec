using Conman.Engine.Containers;
using Conman.Engine.Files;
using Conman.Engine.UserNamespaces;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Volumes;

/// <summary>
/// The store's volumes as containers use them: those a create makes, their first filling from
/// the image at a start, ":U" mounts given to the container's user, the anonymous ones that go
/// with their container, and which containers use which.
/// </summary>
internal sealed class ContainerVolumes(EngineContext context)
{
    /// <summary>
    /// Makes the volumes a new container names that do not exist yet (as docker create does);
    /// the caller holds the volumes' lock until the container's record is written.
    /// </summary>
    /// <returns>The volumes made now, for the create to remove if it fails.</returns>
    public List<string> MakeFor(ContainerDefinition definition)
    {
        var made = new List<string>();
        try
        {
            foreach (var use in definition.Storage.NamedVolumes)
            {
                if (context.Volumes.Create(use.Name, null, use.Anonymous, existingIsFine: true).Made) made.Add(use.Name);
            }
        }
        catch
        {
            RemoveMade(made);
            throw;
        }
        return made;
    }

    public void RemoveMade(IEnumerable<string> made)
    {
        foreach (string name in made) context.Volumes.Delete(name);
    }

    /// <summary>
    /// Before runc runs, with the container's root filesystem mounted: each volume it names
    /// exists (made again if it went), and one that is empty gets the image's files at its path,
    /// with their owners and modes, as Docker fills a new volume (podman's copy-up). Only an empty
    /// volume is filled, so what a container wrote is never overwritten.
    /// </summary>
    public void Prepare(ContainerRecord record)
    {
        if (record.Definition.Storage.NamedVolumes.Count == 0) return;
        using var _ = context.Volumes.Lock();
        using var root = ContainerRoot.Open(context.Layout.MergedRootFs(record.Id), record.Name);
        foreach (var use in record.Definition.Storage.NamedVolumes)
        {
            context.Volumes.Create(use.Name, null, use.Anonymous, existingIsFine: true);
            string data = context.Layout.VolumeData(use.Name);
            if (Directory.EnumerateFileSystemEntries(data).Any()) continue;
            using var folder = root.TryOpenFolder(use.ContainerPath);
            if (folder is null)
            {
                // Nothing of the image's to copy: a new volume is its root's, as podman gives a
                // user-namespaced container's new volume to its root. One given to a range already
                // (another container may be using it) stays that range's.
                var (uid, gid) = OwnerMap.Of(record.Definition).ToHost(0, 0);
                if (uid != 0 && IsHostRoots(data) && LibC.lchown(data, uid, gid) != 0)
                {
                    throw ConmanErrors.UserNamespaceSetupFailed(data, $"giving the volume {use.Name} to the container's root", LibC.Errno);
                }
                continue;
            }
            // The root filesystem shows host ids, as the volume's files are on disk: copied as they are.
            using var copier = new EntryCopier(record.Name, CancellationToken.None);
            copier.CopyOut(folder, ".", data, use.ContainerPath);
        }
    }

    private static unsafe bool IsHostRoots(string path)
    {
        LibC.FileStatus status;
        return LibC.lstat(path, &status) == 0 && status.Uid == 0 && status.Gid == 0;
    }

    /// <summary>
    /// The mounts given with ":U": their files are the container's user's (as its /etc/passwd
    /// names it now, through its user namespace's maps), at every start, as podman gives them.
    /// </summary>
    public void GiveMountsToUser(ContainerRecord record)
    {
        var definition = record.Definition;
        var folders = definition.Storage.Volumes.Where(v => v.ChownToUser).Select(v => v.HostPath)
            .Concat(definition.Storage.NamedVolumes.Where(v => v.ChownToUser).Select(v => context.Layout.VolumeData(v.Name))).ToList();
        if (folders.Count == 0) return;
        var user = Spec.UserResolver.Resolve(definition.Process, new Spec.RootFsView([context.Layout.MergedRootFs(record.Id)]));
        var (uid, gid) = OwnerMap.Of(definition).ToHost(user.Uid, user.Gid);
        foreach (string folder in folders) MountOwnership.GiveTo(folder, uid, gid);
    }

    /// <summary>A removed container's anonymous volumes (docker rm -v), but not one that another container mounts by name.</summary>
    public void RemoveAnonymous(ContainerDefinition definition)
    {
        if (!definition.Storage.NamedVolumes.Any(v => v.Anonymous)) return;
        using var _ = context.Volumes.Lock();
        var users = Users();
        foreach (var use in definition.Storage.NamedVolumes.Where(v => v.Anonymous && !users.ContainsKey(v.Name))) context.Volumes.Delete(use.Name);
    }

    /// <summary>
    /// Each mounted volume's containers, by name, read from every container's definition. A
    /// container whose record is damaged may mount any volume whose name its bytes hold
    /// (<see cref="RecordVolumes"/>): such a volume counts as its, so that no removal or prune takes
    /// data a container may still need; Remove-Container -Force of the damaged one frees it.
    /// </summary>
    public Dictionary<string, List<string>> Users()
    {
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string volume, string container)
        {
            if (!users.TryGetValue(volume, out var names)) users[volume] = names = [];
            if (!names.Contains(container)) names.Add(container);
        }
        var damaged = new List<ContainerRecord>();
        foreach (var record in context.Store.LoadAll())
        {
            if (ContainerStore.Unreadable(record)) damaged.Add(record);
            foreach (var use in record.Definition?.Storage.NamedVolumes ?? []) Add(use.Name, record.Name);
        }
        if (damaged.Count == 0) return users;
        var volumes = context.Volumes.List().Select(v => v.Name).ToList();
        foreach (var record in damaged)
        {
            var mounts = ReadRecordBytes(record.Id) is { } bytes ? RecordVolumes.Read(bytes) : null;
            foreach (string volume in volumes.Where(v => mounts is null || mounts.MayMount(v))) Add(volume, record.Name);
        }
        return users;
    }

    /// <summary>A damaged record's bytes; null when even they cannot be read (it may then mount anything).</summary>
    private byte[]? ReadRecordBytes(string id)
    {
        try
        {
            return File.ReadAllBytes(context.Layout.RecordPath(id));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
