using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Conman.Native;

namespace Conman.Engine.Runtime;

/// <summary>
/// Each container sees its root filesystem through an overlay: the user's folder, or an image's
/// snapshots, are read-only lower layers, and all writes go to the container's own upper layer,
/// which is removed with the container.
/// </summary>
internal static class RootFsOverlay
{
    /// <summary>The kernel takes at most a page of mount options.</summary>
    private const int MaxOptionsLength = 4095;

    /// <param name="lowers">The read-only layers, the topmost first.</param>
    /// <param name="linkFolder">Where short links to the layers are made when their paths do not
    /// fit in a page of options (an image of more than about 40 layers), as Docker's overlay2
    /// driver does: about 90 layers fit then.</param>
    public static void Mount(IReadOnlyList<string> lowers, string upper, string work, string merged, string linkFolder)
    {
        if (MountTable.IsMounted(merged)) return;
        string options = Options(lowers, upper, work);
        if (options.Length > MaxOptionsLength) options = Options(ShortLinks(lowers, linkFolder), upper, work);
        if (options.Length > MaxOptionsLength)
        {
            throw ConmanErrors.TooManyLayers(merged, lowers.Count, options.Length, MaxOptionsLength);
        }
        // The upper layer's root is the container's "/": 0755 as in Docker, whatever the caller's umask.
        StoreFolders.Create(upper, StoreFolders.ParentMode);
        StoreFolders.Create(work, FileModes.OwnerOnlyFolder);
        StoreFolders.Create(merged, FileModes.OwnerOnlyFolder);
        if (LibC.mount("overlay", merged, "overlay", 0, options) != 0)
        {
            int errno = LibC.Errno;
            throw ConmanErrors.OverlayMountFailed(merged, errno, Marshal.GetPInvokeErrorMessage(errno));
        }
    }

    private static string Options(IEnumerable<string> lowers, string upper, string work) =>
        $"lowerdir={string.Join(':', lowers)},upperdir={upper},workdir={work}";

    /// <summary>A link per layer, named by 16 hex digits of its path's SHA-256; made once, kept for the next start.</summary>
    private static List<string> ShortLinks(IReadOnlyList<string> lowers, string linkFolder)
    {
        Directory.CreateDirectory(linkFolder, FileModes.OwnerOnlyFolder);
        var links = new List<string>(lowers.Count);
        foreach (string lower in lowers)
        {
            string link = Path.Combine(linkFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lower)))[..16]);
            if (new FileInfo(link).LinkTarget != lower)
            {
                File.Delete(link);
                File.CreateSymbolicLink(link, lower);
            }
            links.Add(link);
        }
        return links;
    }

    public static void Unmount(string merged)
    {
        while (MountTable.IsMounted(merged))
        {
            if (LibC.umount2(merged, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) != 0) break;
        }
    }

    /// <summary>Overlay's option parser splits on ',' and ':'; such folders cannot be layers.</summary>
    public static bool IsUsableLayerPath(string path) => path.IndexOfAny([',', ':', '\\', '\n']) < 0;
}
