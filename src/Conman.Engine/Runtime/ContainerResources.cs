using Conman.Engine.Images;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// The host resources a start of a container acquires, in the order it acquires them (and the
/// reverse of the order they are released in). A new resource (a network namespace, cgroup
/// settings, hooks) is one more entry here and one IHostResource.
/// </summary>
internal static class ContainerResources
{
    public static IReadOnlyList<IHostResource> For(ContainerRecord record, StoreLayout layout, ImageManager images)
    {
        string id = record.Id;
        // An unreadable record's layers are not known: its overlay is still released by its mount point.
        var definition = record.Definition ?? new ContainerDefinition();
        IReadOnlyList<string> lowers = definition.Snapshots.Count > 0 ? images.TreesOf(definition.Snapshots) : [definition.RootFs];
        return [new OverlayRootFs(lowers, layout.UpperLayer(id), layout.OverlayWork(id), layout.MergedRootFs(id), layout.LayerLinksFolder)];
    }
}
