using System.Runtime.InteropServices;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// The read-only layers of a container with its own user namespace, each mounted idmapped
/// (folder/0, folder/1, ...), so that the image's files, owned by 0 on disk, are owned by the
/// container's root (host id 100000, say) under its overlay, while the layers themselves stay as
/// they are for every other container. The kernel here idmaps overlay's lower layers but not an
/// overlay mount itself, nor an upper layer (see docs/design-choices.md): what the container
/// writes lands in its upper layer owned by host ids.
/// </summary>
/// <param name="userNamespaceFile">The container's user namespace while it starts or runs (<see cref="ContainerUserNamespace"/>),
/// used when it is there; a stopped container's files (Copy-ContainerItem, a commit) get a namespace of the same maps.</param>
internal sealed class IdMappedLayers(string folder, IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids, string userNamespaceFile)
{
    /// <summary>The host ids of the container's root, who owns its "/".</summary>
    public (uint Uid, uint Gid) HostRoot => UserNamespaceSpec.HostRoot(uids, gids);

    public IReadOnlyList<string> MountPoints(int count) => [.. Enumerable.Range(0, count).Select(i => Path.Combine(folder, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>Mounts each layer idmapped (what a killed start left mounted is kept); returns their mount points, in the same order.</summary>
    public IReadOnlyList<string> Mount(IReadOnlyList<string> lowers)
    {
        var points = MountPoints(lowers.Count);
        StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        // Any user namespace with the container's maps serves: an idmapped mount takes only its maps.
        int userNamespace = -1;
        try
        {
            for (int i = 0; i < lowers.Count; i++)
            {
                if (MountTable.IsMounted(points[i])) continue;
                Directory.CreateDirectory(points[i], FileModes.OwnerOnlyFolder);
                if (userNamespace < 0) userNamespace = OpenUserNamespace(lowers[i]);
                if (LibC.MountIdMappedReadOnly(lowers[i], points[i], userNamespace) != 0)
                {
                    int errno = LibC.Errno;
                    throw ConmanErrors.UserNamespaceSetupFailed(lowers[i], "an idmapped mount", errno, Marshal.GetPInvokeErrorMessage(errno));
                }
            }
        }
        catch
        {
            try
            {
                HostUndo.Run(Undo, Path.GetFileName(folder));
            }
            catch (ConmanException)
            {
                // What stays mounted is released again at the next start or removal.
            }
            throw;
        }
        finally
        {
            if (userNamespace >= 0) LibC.close(userNamespace);
        }
        return points;
    }

    private int OpenUserNamespace(string forPath)
    {
        if (MountTable.IsMounted(userNamespaceFile))
        {
            int fd = LibC.open(userNamespaceFile, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
            if (fd >= 0) return fd;
        }
        using var helper = UserNamespaceHelper.Start(uids, gids, withNetwork: false, forPath);
        return helper.OpenUserNamespace();
    }

    /// <summary>
    /// Each layer's mount point found in the folder (a killed start's too): unmounted and removed.
    /// Removing never recurses, so no removal of the container's folder goes into an image's layer
    /// that stayed mounted.
    /// </summary>
    public IEnumerable<TeardownStep> Undo =>
        !Directory.Exists(folder) ? []
            : Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
                .SelectMany(p => new[] { new TeardownStep { Unmount = p }, new TeardownStep { RemoveFolder = p } }).ToList();
}
