using Conman.Engine.Files;
using Conman.Native;

namespace Conman.Engine.Volumes;

/// <summary>
/// podman's ":U": a mount's files given, recursively, to the container's user (as the host sees
/// its ids). The walk goes by descriptors and never follows a link (<see cref="ContainerLayerWalk"/>):
/// another container writing the same volume cannot lead it out of the folder. Links themselves
/// change owner, as chown -R -h does. What another file system mounted below the folder holds is
/// left as it is: it is not the mount's.
/// </summary>
internal static unsafe class MountOwnership
{
    public static void GiveTo(string folder, uint uid, uint gid)
    {
        LibC.FileStatus status;
        if (LibC.lstat(folder, &status) != 0) return;
        Check(LibC.lchown(folder, uid, gid), folder);
        if (status.Type != LibC.S_IFDIR) return;
        foreach (var (path, parent, name, entry) in ContainerLayerWalk.Entries(folder))
        {
            if (entry.Device != status.Device) continue;
            Check(LibC.fchownat(parent.DangerousGetHandle().ToInt32(), name, uid, gid, LibC.AT_SYMLINK_NOFOLLOW), folder + path);
        }
    }

    private static void Check(int result, string path)
    {
        if (result != 0) throw ConmanErrors.OwnershipChangeFailed(path, LibC.Errno);
    }
}
