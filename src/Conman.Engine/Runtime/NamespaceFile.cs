using Conman.Native;

namespace Conman.Engine.Runtime;

/// <summary>A namespace kept alive by a bind mount on a file (a container's network or user namespace).</summary>
internal static class NamespaceFile
{
    /// <summary>The file a namespace is bind-mounted on, root's alone whatever the umask (its folder too).</summary>
    public static void MakeMountPoint(string path)
    {
        StoreFolders.Create(Path.GetDirectoryName(path)!, FileModes.OwnerOnlyFolder);
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerOnly })) { }
    }

    /// <summary>Unmounts and deletes it; harmless when it was never made or is gone already.</summary>
    public static void Remove(string path)
    {
        if (!File.Exists(path)) return;
        LibC.umount2(path, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
        File.Delete(path);
    }
}
