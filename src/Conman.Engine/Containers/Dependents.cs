using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// The index of which containers depend on which: a container that joins another's network
/// namespace (-Network container:&lt;owner&gt;) has a record in the owner's dependents folder from
/// its create to its removal. The owner is not removed while one is there (podman refuses it too),
/// and its namespace never goes while one runs: a stop of the owner stops its running joiners
/// first, and so does the owner's shim when the owner exits by itself.
/// </summary>
internal sealed class Dependents(StoreLayout layout, ContainerStore store)
{
    /// <summary>Records the joiner in its owner's folder. Under the owner's lock.</summary>
    public void Add(string ownerId, string joinerId, int stopSignal, TimeSpan stopTimeout)
    {
        string folder = layout.DependentsFolder(ownerId);
        StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        var entry = new DependentContainer
        {
            ContainerId = joinerId, SocketPath = layout.SocketPath(joinerId), StopSignal = stopSignal,
            StopTimeoutMilliseconds = (uint)stopTimeout.TotalMilliseconds,
        };
        AtomicFile.Write(EntryPath(ownerId, joinerId), entry);
    }

    /// <summary>Drops the joiner from its owner's index (its removal); harmless when either is gone (an -AutoRemove owner's shim removed it).</summary>
    public void Remove(string ownerId, string joinerId)
    {
        try
        {
            File.Delete(EntryPath(ownerId, joinerId));
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The owner's joiners that still exist; entries of joiners gone otherwise (a store copied, a folder deleted) are dropped.</summary>
    public IReadOnlyList<ContainerRecord> Of(string ownerId)
    {
        string folder = layout.DependentsFolder(ownerId);
        if (!Directory.Exists(folder)) return [];
        var joiners = new List<ContainerRecord>();
        foreach (string entry in Directory.EnumerateFiles(folder, "*.pb").Order(StringComparer.Ordinal))
        {
            if (store.Load(Path.GetFileNameWithoutExtension(entry)) is { } joiner) joiners.Add(joiner);
            else File.Delete(entry);
        }
        return joiners;
    }

    private string EntryPath(string ownerId, string joinerId) => Path.Combine(layout.DependentsFolder(ownerId), joinerId + ".pb");
}
