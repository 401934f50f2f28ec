using Conman.Native;

namespace Conman.Engine.Runtime;

/// <summary>A namespace kept alive by a bind mount on a file (a container's network or user namespace).</summary>
internal static class NamespaceFile
{
    /// <summary>Unmounts and deletes it; harmless when it was never made or is gone already.</summary>
    public static void Remove(string path)
    {
        if (!File.Exists(path)) return;
        LibC.umount2(path, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
        File.Delete(path);
    }
}
