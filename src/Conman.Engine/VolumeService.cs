using Conman.Engine.Volumes;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>The store's volumes: New-, Get- and Remove-ContainerVolume (docker volume create, ls, inspect, rm, prune).</summary>
public sealed class VolumeService
{
    private readonly EngineContext _context;
    private readonly ContainerVolumes _uses;

    internal VolumeService(EngineContext context, ContainerVolumes uses)
    {
        _context = context;
        _uses = uses;
    }

    private VolumeStore Volumes => _context.Volumes;

    /// <param name="removeWithSession">Tied to the session that makes it: removed once that session has ended (<see cref="SessionService"/>).</param>
    public VolumeSnapshot Create(string name, IReadOnlyDictionary<string, string>? labels = null, bool removeWithSession = false)
    {
        VolumeStore.ValidateName(name);
        if (removeWithSession) labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [SessionService.Label] = _context.TieToThisSession() };
        return HostIo.Guard($"Creating the volume '{name}'", name, () =>
        {
            using (Volumes.Lock()) return Snapshot(Volumes.Create(name, labels, anonymous: false, existingIsFine: false).Volume);
        });
    }

    public IReadOnlyList<VolumeSnapshot> List()
    {
        var users = _uses.Users();
        return Volumes.List().Select(v => Snapshot(v, users)).ToList();
    }

    public VolumeSnapshot Get(string name) => Snapshot(Volumes.Get(name));

    /// <summary>
    /// Removes a volume and its data. Refused while any container, running or not, mounts it:
    /// as Docker's volume rm (whose --force does not override that either), so a stopped
    /// container never finds its data gone at its next start.
    /// </summary>
    public void Remove(string name) => HostIo.Guard($"Removing the volume '{name}'", name, () =>
    {
        using var _ = Volumes.Lock();
        var volume = Volumes.Get(name);
        if (_uses.Users().TryGetValue(volume.Name, out var users)) throw ConmanErrors.VolumeInUse(volume.Name, users);
        Volumes.Delete(volume.Name);
    });

    /// <summary>The volumes no container mounts (docker volume prune -a; with <paramref name="anonymousOnly"/>, docker volume prune).</summary>
    public IReadOnlyList<VolumeSnapshot> Unused(bool anonymousOnly)
    {
        var users = _uses.Users();
        return Volumes.List().Where(v => !users.ContainsKey(v.Name) && (v.Anonymous || !anonymousOnly)).Select(v => Snapshot(v, users)).ToList();
    }

    private VolumeSnapshot Snapshot(VolumeRecord record) => Snapshot(record, _uses.Users());

    private VolumeSnapshot Snapshot(VolumeRecord record, IReadOnlyDictionary<string, List<string>> users) =>
        VolumeSnapshot.From(record, _context.Layout.VolumeData(record.Name), users.TryGetValue(record.Name, out var names) ? names : []);
}
