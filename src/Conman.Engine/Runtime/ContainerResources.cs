using Conman.Engine.Images;
using Conman.Engine.Networks;
using Conman.Engine.UserNamespaces;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// The host resources a start of a container acquires, in the order it acquires them (and the
/// reverse of the order they are released in). A new resource (cgroup settings, hooks) is one
/// more entry here and one IHostResource.
/// </summary>
internal static class ContainerResources
{
    public static IReadOnlyList<IHostResource> For(ContainerRecord record, StoreLayout layout, ImageManager images, NetworkStore networks,
        Func<string, NetworkOwner?> owners, ContainerNetworking networking, bool starting) =>
        [.. UserNamespace(record, layout, networking), RootFs(record, layout, images),
            .. NetworkResources.For(record.Definition, networking, layout, networks, owners, starting), .. Staging(record, layout)];

    /// <summary>The root filesystem alone: for reading or writing a stopped container's files (Copy-ContainerItem, commit).</summary>
    public static IHostResource RootFs(ContainerRecord record, StoreLayout layout, ImageManager images)
    {
        // An unreadable record's layers are not known: its overlay is still released by its mount point.
        var definition = (record.Definition ?? new ContainerDefinition()).WithGroups();
        IReadOnlyList<string> lowers = definition.Snapshots.Count > 0 ? images.TreesOf(definition.Snapshots) : [definition.RootFs];
        var idMapped = MayHaveUserNamespace(record)
            ? new IdMappedLayers(layout.IdMappedLayersFolder(record.Id), definition.Security.UidMappings, definition.Security.GidMappings, layout.UserNamespacePath(record.Id))
            : null;
        return new OverlayRootFs(lowers, layout.UpperLayer(record.Id), layout.OverlayWork(record.Id), layout.MergedRootFs(record.Id), layout.LayerLinksFolder,
            idMapped);
    }

    /// <summary>
    /// With maps, or when the record cannot say (damaged: its user namespace's mounts are then
    /// released by their paths, as its overlay is; it is never started).
    /// </summary>
    private static bool MayHaveUserNamespace(ContainerRecord record) => record.Definition?.Security is not { UidMappings.Count: 0 };

    /// <summary>With a user namespace, first: the namespace, and in it the network namespace (unless on the host's).</summary>
    private static IEnumerable<IHostResource> UserNamespace(ContainerRecord record, StoreLayout layout, ContainerNetworking networking)
    {
        if (!MayHaveUserNamespace(record)) return [];
        var definition = (record.Definition ?? new ContainerDefinition()).WithGroups();
        string? networkNamespace = definition.Network.Mode is NetworkMode.Host or NetworkMode.Container ? null : networking.NamespacePath;
        return [new ContainerUserNamespace(layout.UserNamespacePath(record.Id), definition.Security.UidMappings, definition.Security.GidMappings, networkNamespace)];
    }

    /// <summary>
    /// With a user namespace, last: the staging of the root filesystem and bind sources for runc,
    /// which the start completes once the spec names its mounts (<see cref="MountStaging.Stage"/>).
    /// </summary>
    private static IEnumerable<IHostResource> Staging(ContainerRecord record, StoreLayout layout)
    {
        if (!MayHaveUserNamespace(record)) return [];
        var definition = (record.Definition ?? new ContainerDefinition()).WithGroups();
        return [new MountStaging(layout.MountStagingFolder(record.Id), UserNamespaceSpec.HostRoot(definition.Security.UidMappings, definition.Security.GidMappings),
            layout.MergedRootFs(record.Id))];
    }

    /// <summary>What a start shares between the container's network resources, its spec and its shim.</summary>
    public static ContainerNetworking Networking(ContainerRecord record, StoreLayout layout)
    {
        var networking = new ContainerNetworking(record.Id, record.Name, record.Definition?.Process is { Hostname.Length: > 0 } d ? d.Hostname : record.Id[..12],
            layout.NetworkNamespacePath(record.Id));
        networking.ExtraHosts.AddRange(record.Definition?.Network?.ExtraHosts ?? []);
        return networking;
    }
}
