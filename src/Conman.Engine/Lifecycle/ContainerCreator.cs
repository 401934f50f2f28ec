using Conman.Engine.Containers;
using Conman.Engine.Definitions;
using Conman.Engine.Volumes;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// New-Container: the options resolved into a definition (every check made before anything is
/// written), then the container's folder, its named volumes, its id ranges, and its record last.
/// </summary>
internal sealed class ContainerCreator(EngineContext context, ContainerVolumes volumes)
{
    private StoreLayout Layout => context.Layout;
    private ContainerStore Store => context.Store;

    public ContainerSnapshot Create(ContainerOptions options)
    {
        if ((options.RootFs is null) == (options.Image is null)) throw ConmanErrors.RootFsOrImageRequired(options.Name);
        ContainerDefinitions.ValidateStoreRoot(Layout.Root);
        var images = context.Images;
        var image = options.Image is { } reference ? images.GetRecord(reference) : null;
        var definition = ContainerDefinitions.Resolve(options, image, () => images.TreesOf(image!.Layers.Select(l => l.ChainId)));
        _ = context.Runtime; // fail before writing anything when runc is missing
        // Each named network exists (the default one is made on first use, as podman's).
        NetworkConfig.CheckPublished(definition.Network, definition.Network.Networks.Select(j => context.Networks.ForUse(j.Network)).ToList());
        var networkOwner = definition.Network.Mode == NetworkMode.Container ? NamespaceOwner(definition.Network.Container) : null;
        if (networkOwner is not null)
        {
            definition.Network.Container = networkOwner.Id;
            // As Docker's: the hostname is the one of the container whose network (and /etc/hostname) it shares.
            definition.Process.Hostname = networkOwner.Definition.Process.Hostname;
        }

        Layout.EnsureCreated();
        string id = ContainerName.NewId();
        if (definition.Process.Hostname.Length == 0) definition.Process.Hostname = id[..12];
        if (definition.Lifetime.RemoveWithSession) definition.Process.Labels[SessionService.Label] = context.TieToThisSession();
        var record = new ContainerRecord { Id = id, CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow), Definition = definition, Format = ContainerStore.RecordFormat };

        // In the engine's lock order (EngineContext).
        using (FileLock.Acquire(Layout.NamesLock, create: true))
        // Held so that an image removed meanwhile cannot take the snapshots this container stacks.
        using (image is null ? null : images.LockRecords())
        // Held until the dependents index names this container, so that the owner cannot be removed meanwhile.
        using (networkOwner is null ? null : context.LockContainer(networkOwner.Id, networkOwner.Name))
        // Held so that a volume this container names cannot be removed before its record says so.
        using (definition.Storage.NamedVolumes.Count == 0 ? null : context.Volumes.Lock())
        {
            if (image is not null && !images.HasSnapshots(definition.Snapshots)) throw ConmanErrors.ImageNotFound(options.Image!);
            if (networkOwner is not null && Store.Load(networkOwner.Id) is null) throw ConmanErrors.ContainerNotFound(networkOwner.Name);
            var names = Store.LoadAll().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            string name = options.Name ?? GenerateUnusedName(names);
            if (names.Contains(name)) throw ConmanErrors.ContainerNameInUse(name);
            record.Name = name;
            // Held until the record is written: until then this container's claim looks stale to others.
            using var idRanges = definition.Security.UidMappings.Count > 0 || definition.Security.UserNamespaceAuto ? UserNamespaces.IdRangeClaims.Lock() : null;
            var madeVolumes = volumes.MakeFor(definition);
            string folder = Layout.ContainerFolder(id);
            try
            {
                if (definition.Security.UserNamespaceAuto)
                {
                    var (uids, gids) = UserNamespaces.IdRangeClaims.Allocate(UserNamespaces.UserNamespaceSpec.AutoSize(options.Security.UserNs)!.Value, id,
                        Layout.RecordPath(id));
                    definition.Security.UidMappings.Add(uids);
                    definition.Security.GidMappings.Add(gids);
                }
                else if (definition.Security.UidMappings.Count > 0)
                {
                    UserNamespaces.IdRangeClaims.ClaimExplicit(definition, id, Layout.RecordPath(id));
                }
                Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
                FileLock.Acquire(Layout.LockPath(id), create: true).Dispose();
                Store.ReserveRecordSpace(id);
                // The record last: a folder without one is not a container, and is never listed.
                Store.Save(record);
                if (networkOwner is not null)
                {
                    context.Dependents.Add(networkOwner.Id, id, ContainerStopper.StopSignalOf(definition), ContainerService.DefaultStopTimeout);
                }
            }
            catch
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                volumes.RemoveMade(madeVolumes);
                if (idRanges is not null) UserNamespaces.IdRangeClaims.Withdraw(id);
                throw;
            }
        }
        return Store.Inspect(record);
    }

    /// <summary>
    /// The container that owns the network namespace -Network container:&lt;name&gt; names: that one,
    /// or, when it joins another's itself, the one it joins (the namespace is the same).
    /// </summary>
    private ContainerRecord NamespaceOwner(string idOrName)
    {
        var owner = Store.Resolve(idOrName);
        if (ContainerStore.Unreadable(owner)) throw ConmanErrors.ContainerRecordUnreadable(owner.Name);
        if (owner.Definition.Network.Mode == NetworkMode.Container)
        {
            owner = Store.Load(owner.Definition.Network.Container) ?? throw ConmanErrors.NetworkOwnerGone(owner.Name, owner.Definition.Network.Container);
        }
        return owner;
    }

    private static string GenerateUnusedName(HashSet<string> names)
    {
        string name;
        do name = ContainerName.Generate(); while (names.Contains(name));
        return name;
    }
}
