using Conman.Engine.UserNamespaces;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// The container's root filesystem: its layers under an overlay, writes to its own upper layer.
/// With a user namespace, the layers are idmapped first and the upper layer's root is the
/// container root's, so that "/" and the image's files are root's inside.
/// </summary>
internal sealed class OverlayRootFs(IReadOnlyList<string> lowers, string upper, string work, string merged, string linkFolder,
    IdMappedLayers? idMapped = null) : IHostResource
{
    public void Acquire()
    {
        if (idMapped is null)
        {
            RootFsOverlay.Mount(lowers, upper, work, merged, linkFolder);
            return;
        }
        if (MountTable.IsMounted(merged)) return;
        var layers = idMapped.Mount(lowers);
        try
        {
            StoreFolders.Create(upper, StoreFolders.ParentMode);
            var (uid, gid) = idMapped.HostRoot;
            if (LibC.lchown(upper, uid, gid) != 0) throw ConmanErrors.UserNamespaceSetupFailed(upper, "giving it to the container's root", LibC.Errno);
            RootFsOverlay.Mount(layers, upper, work, merged, linkFolder);
        }
        catch
        {
            // Not yet among the start's acquired resources: its own undoing is its own.
            try
            {
                HostUndo.Run(Undo, Path.GetFileName(Path.GetDirectoryName(merged)!));
            }
            catch (ConmanException)
            {
                // What stays is released again at the next start or removal; the mount's error is the one to see.
            }
            throw;
        }
    }

    public IEnumerable<TeardownStep> Undo => [new TeardownStep { Unmount = merged }, .. idMapped?.Undo ?? []];
}
