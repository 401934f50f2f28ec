using Conman.Native;

namespace Conman.Engine.Spec;

/// <summary>
/// The host's device nodes, as Docker's --privileged gives them to a container (runc's
/// HostDevices): every character and block device under /dev, but the folders a container has
/// its own of (pts, shm, mqueue) and the console runc makes itself.
/// </summary>
internal static unsafe class HostDevices
{
    private static readonly string[] OwnFolders = ["/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/fd"];

    public static List<OciDevice> List(string root = "/dev")
    {
        var devices = new List<OciDevice>();
        Walk(root, devices);
        return devices;
    }

    private static void Walk(string folder, List<OciDevice> devices)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(folder).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string path in entries)
        {
            LibC.FileStatus status;
            if (LibC.lstat(path, &status) != 0) continue;
            if (status.Type == LibC.S_IFDIR)
            {
                if (!OwnFolders.Contains(path)) Walk(path, devices);
                continue;
            }
            if (status.Type is not (LibC.S_IFCHR or LibC.S_IFBLK) || path == "/dev/console") continue;
            var (major, minor) = Split(status.SpecialDevice);
            devices.Add(new OciDevice(path, status.Type == LibC.S_IFCHR ? "c" : "b", major, minor, status.Mode & 0xfff, status.Uid, status.Gid));
        }
    }

    /// <summary>gnu_dev_major / gnu_dev_minor: the inverse of <see cref="LibC.MakeDevice"/>.</summary>
    private static (long Major, long Minor) Split(ulong device) =>
        ((long)(((device >> 32) & 0xfffff000) | ((device >> 8) & 0xfff)), (long)(((device >> 12) & 0xffffff00) | (device & 0xff)));
}
