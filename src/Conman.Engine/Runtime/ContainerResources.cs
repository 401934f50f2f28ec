using Conman.Engine.Images;
using Conman.Engine.Networks;
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
        ContainerNetworking networking, bool starting) =>
        [RootFs(record, layout, images), .. NetworkResources.For(record.Definition, networking, layout, networks, starting)];

    /// <summary>The root filesystem alone: for reading or writing a stopped container's files (Copy-ContainerItem, commit).</summary>
    public static IHostResource RootFs(ContainerRecord record, StoreLayout layout, ImageManager images)
    {
        // An unreadable record's layers are not known: its overlay is still released by its mount point.
        var definition = record.Definition ?? new ContainerDefinition();
        IReadOnlyList<string> lowers = definition.Snapshots.Count > 0 ? images.TreesOf(definition.Snapshots) : [definition.RootFs];
        return new OverlayRootFs(lowers, layout.UpperLayer(record.Id), layout.OverlayWork(record.Id), layout.MergedRootFs(record.Id), layout.LayerLinksFolder);
    }

    /// <summary>What a start shares between the container's network resources, its spec and its shim.</summary>
    public static ContainerNetworking Networking(ContainerRecord record, StoreLayout layout) =>
        new(record.Id, record.Name, record.Definition is { Hostname.Length: > 0 } d ? d.Hostname : record.Id[..12], layout.NetworkNamespacePath(record.Id));
}
