using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Engine.Volumes;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// Remove-Container: a container and everything it had (host resources, bundle, log, socket,
/// runc state, id ranges), the marker first so that a removal cut short is finished by the next.
/// </summary>
internal sealed class ContainerRemover(EngineContext context, ContainerStopper stopper, EndedRuns ended, ContainerVolumes volumes)
{
    private StoreLayout Layout => context.Layout;
    private ContainerStore Store => context.Store;

    /// <param name="removeVolumes">Its anonymous volumes go too (docker rm -v).</param>
    public void Remove(string idOrName, bool force, bool removeVolumes)
    {
        var (record, held) = context.Locked(idOrName);
        using (held)
        {
            string id = record.Id;
            var current = Store.Inspect(record);
            if (context.Dependents.Of(id) is { Count: > 0 } joiners) throw ConmanErrors.ContainerHasDependents(record.Name, joiners.Select(j => j.Name));
            if (current.State == ContainerState.Running && !force) throw ConmanErrors.ContainerRunning(record.Name);
            // From here on the container is Removing until its folder is gone, whatever dies.
            File.WriteAllBytes(Layout.RemovingMarkerPath(id), []);
            if (current.State == ContainerState.Running) stopper.RequestStop(record, TimeSpan.Zero, ContainerStopper.KillWait, CancellationToken.None);
            // Also kills what is left when the shim died (Unknown), or waits for a client.
            ended.ClearAbandoned(id);
            AcquiredResources.ReleaseAll(context.ResourcesOf(record, starting: false), record.Name);
            File.Delete(Layout.SocketPath(id));
            DeleteExecSockets(id);
            DeleteFolder(record);
            UserNamespaces.IdRangeClaims.Release(id, Layout.RecordPath(id));
            if (record.Definition?.Network is { Mode: NetworkMode.Container } joined) context.Dependents.Remove(joined.Container, id);
        }
        if (removeVolumes && record.Definition is { } removed) volumes.RemoveAnonymous(removed);
        // The last container of an image removed with -Force held its snapshots: free them now.
        if (record.Definition is { Snapshots.Count: > 0 } definition && !context.Images.Has(definition.ImageId)) context.Images.CollectGarbage();
    }

    /// <summary>
    /// The sockets of the container's execs, which live in the run folder, not the container's:
    /// a shim that ended normally removed its own, a killed one could not.
    /// </summary>
    private void DeleteExecSockets(string id)
    {
        if (!Directory.Exists(Layout.ExecsFolder(id))) return;
        foreach (string exec in Directory.EnumerateDirectories(Layout.ExecsFolder(id))) File.Delete(Layout.SocketPath(Path.GetFileName(exec)));
    }

    /// <summary>
    /// The folder's contents, then the record, then the folder: until the record goes, a removal
    /// cut short is listed (Removing, by the marker made first) and can be finished.
    /// </summary>
    private void DeleteFolder(ContainerRecord record)
    {
        string id = record.Id;
        string folder = Layout.ContainerFolder(id);
        var keep = new HashSet<string>(StringComparer.Ordinal) { Layout.RecordPath(id), Layout.RemovingMarkerPath(id), Layout.LockPath(id) };
        // What is still mounted there (a release that failed) stops the removal: a recursive delete
        // would go into it, an image's layer or a volume. The container stays Removing, and says why.
        if (MountTable.HasMountsAtOrBelow(folder)) throw ConmanErrors.StillMounted(record.Name, folder);
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (keep.Contains(entry)) continue;
            if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
        File.Delete(Layout.RecordPath(id));
        Directory.Delete(folder, recursive: true);
    }
}
