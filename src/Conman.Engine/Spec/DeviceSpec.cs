using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Docker's --device: <c>/dev/host[:/dev/container][:permissions]</c>, permissions of "rwm"
/// (read, write, mknod; all three by default). The host node is looked up now, through symbolic
/// links as Docker follows them (/dev/disk/by-id/...), and its numbers, mode and owner kept. A
/// folder stands for every device node below it (Docker's --device /dev/snd), each at the same
/// place below the container path; links and other files in it are skipped, as Docker skips them.
/// </summary>
internal static unsafe class DeviceSpec
{
    /// <summary>Docker's limit on nodes below a folder is none; this one keeps a mistaken -Device / from listing the whole tree.</summary>
    private const int MaxFolderDevices = 4096;

    public static IReadOnlyList<DeviceMapping> Parse(string spec)
    {
        if (spec.Contains('\0')) throw Invalid(spec, "it may not contain a NUL character");
        string[] parts = spec.Split(':');
        if (parts.Length > 3 || parts.Any(string.IsNullOrEmpty)) throw Invalid(spec, "expected '/dev/host[:/dev/container][:rwm]'");
        string host = parts[0];
        string container = parts.Length == 3 || (parts.Length == 2 && !IsPermissions(parts[1])) ? parts[1] : host;
        string permissions = parts.Length == 3 || (parts.Length == 2 && IsPermissions(parts[1])) ? parts[^1] : "rwm";
        if (!IsPermissions(permissions)) throw Invalid(spec, $"'{permissions}' is not of r, w and m");
        if (!host.StartsWith('/')) throw Invalid(spec, "both paths must be absolute");
        container = MountDestination.Check(container, bind: false, why => Invalid(spec, why));

        LibC.FileStatus status;
        if (LibC.lstat(host, &status) != 0) throw Invalid(spec, $"'{host}' does not exist on the host");
        if (status.Type == LibC.S_IFDIR) return FolderDevices(spec, host, container, permissions);
        if (status.Type == LibC.S_IFLNK)
        {
            string? node = null;
            try
            {
                node = File.ResolveLinkTarget(host, returnFinalTarget: true)?.FullName;
            }
            catch (IOException)
            {
            }
            if (node is null || LibC.lstat(node, &status) != 0) throw Invalid(spec, $"'{host}' is a link to nothing");
            if (status.Type == LibC.S_IFDIR) return FolderDevices(spec, node, container, permissions);
        }
        if (status.Type is not (LibC.S_IFCHR or LibC.S_IFBLK)) throw Invalid(spec, $"'{host}' is not a character or block device or a folder of them");
        return [Mapping(host, container, permissions, status)];
    }

    /// <summary>Every device node below the folder (not through links), at the same place below <paramref name="container"/>.</summary>
    private static List<DeviceMapping> FolderDevices(string spec, string folder, string container, string permissions)
    {
        var devices = new List<DeviceMapping>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (string path in Directory.EnumerateFileSystemEntries(folder, "*", options).Order(StringComparer.Ordinal))
        {
            LibC.FileStatus status;
            if (LibC.lstat(path, &status) != 0 || status.Type is not (LibC.S_IFCHR or LibC.S_IFBLK)) continue;
            if (devices.Count == MaxFolderDevices) throw Invalid(spec, $"'{folder}' holds more than {MaxFolderDevices} devices");
            devices.Add(Mapping(path, container.TrimEnd('/') + "/" + Path.GetRelativePath(folder, path), permissions, status));
        }
        if (devices.Count == 0) throw Invalid(spec, $"the folder '{folder}' holds no device node");
        return devices;
    }

    private static DeviceMapping Mapping(string host, string container, string permissions, in LibC.FileStatus status) =>
        new()
        {
            HostPath = host,
            ContainerPath = MountDestination.Normalize(container),
            Permissions = new string([.. "rwm".Where(permissions.Contains)]),
            Type = status.Type == LibC.S_IFCHR ? "c" : "b",
            Major = (long)Major(status.SpecialDevice),
            Minor = (long)Minor(status.SpecialDevice),
            FileMode = status.Mode & 0x1FF,
            Uid = status.Uid,
            Gid = status.Gid,
        };

    private static bool IsPermissions(string text) => text.Length is > 0 and <= 3 && text.All(c => c is 'r' or 'w' or 'm') && text.Distinct().Count() == text.Length;

    // glibc's encoding of dev_t (sys/sysmacros.h).
    private static ulong Major(ulong device) => ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffUL);

    private static ulong Minor(ulong device) => (device & 0xff) | ((device >> 12) & 0xffffff00);

    private static ConmanException Invalid(string spec, string why) => ConmanErrors.InvalidDevice(spec, why);
}
