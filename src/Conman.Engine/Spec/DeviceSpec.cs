using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Docker's --device: <c>/dev/host[:/dev/container][:permissions]</c>, permissions of "rwm"
/// (read, write, mknod; all three by default). The host node is looked up now, through symbolic
/// links as Docker follows them (/dev/disk/by-id/...), and its numbers, mode and owner kept.
/// </summary>
internal static unsafe class DeviceSpec
{
    public static DeviceMapping Parse(string spec)
    {
        if (spec.Contains('\0')) throw Invalid(spec, "it may not contain a NUL character");
        string[] parts = spec.Split(':');
        if (parts.Length > 3 || parts.Any(string.IsNullOrEmpty)) throw Invalid(spec, "expected '/dev/host[:/dev/container][:rwm]'");
        string host = parts[0];
        string container = parts.Length == 3 || (parts.Length == 2 && !IsPermissions(parts[1])) ? parts[1] : host;
        string permissions = parts.Length == 3 || (parts.Length == 2 && IsPermissions(parts[1])) ? parts[^1] : "rwm";
        if (!IsPermissions(permissions)) throw Invalid(spec, $"'{permissions}' is not of r, w and m");
        if (!host.StartsWith('/') || !container.StartsWith('/')) throw Invalid(spec, "both paths must be absolute");
        if (container.Split('/').Contains("..")) throw Invalid(spec, "the container path may not contain '..'");

        LibC.FileStatus status;
        if (LibC.lstat(host, &status) != 0) throw Invalid(spec, $"'{host}' does not exist on the host");
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
        }
        if (status.Type is not (LibC.S_IFCHR or LibC.S_IFBLK)) throw Invalid(spec, $"'{host}' is not a character or block device");
        return new DeviceMapping
        {
            HostPath = host,
            ContainerPath = VolumeSpec.Normalize(container),
            Permissions = new string([.. "rwm".Where(permissions.Contains)]),
            Type = status.Type == LibC.S_IFCHR ? "c" : "b",
            Major = (long)Major(status.SpecialDevice),
            Minor = (long)Minor(status.SpecialDevice),
            FileMode = status.Mode & 0x1FF,
            Uid = status.Uid,
            Gid = status.Gid,
        };
    }

    private static bool IsPermissions(string text) => text.Length is > 0 and <= 3 && text.All(c => c is 'r' or 'w' or 'm') && text.Distinct().Count() == text.Length;

    // glibc's encoding of dev_t (sys/sysmacros.h).
    private static ulong Major(ulong device) => ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfffUL);

    private static ulong Minor(ulong device) => (device & 0xff) | ((device >> 12) & 0xffffff00);

    private static ConmanException Invalid(string spec, string why) => ConmanErrors.InvalidDevice(spec, why);
}
