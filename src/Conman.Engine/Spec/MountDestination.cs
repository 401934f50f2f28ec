namespace Conman.Engine.Spec;

/// <summary>
/// Where a mount or a device goes in the container (-Volume, -Tmpfs, -Device, an image's VOLUME),
/// checked at create as runc will check it at every start: absolute, without "..", not the root
/// itself, and not in /proc, where runc mounts nothing but a procfs and binds over the few files
/// lxcfs emulates. Refused here, such a path would make every start of the container fail.
/// </summary>
internal static class MountDestination
{
    /// <summary>The files below /proc that runc lets a bind mount cover (libcontainer/rootfs_linux.go, checkProcMount).</summary>
    private static readonly string[] ProcFilesBindable =
    [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/sys/kernel/ns_last_pid", "/proc/sys/crypto/fips_enabled",
    ];

    /// <summary>
    /// The destination without empty or "." components (so "/x/", "//x" and "/./x" are one), or
    /// the reason it cannot be one, given to <paramref name="invalid"/>. <paramref name="bind"/>:
    /// a bind mount of a host path, which runc allows over the lxcfs files.
    /// </summary>
    public static string Check(string path, bool bind, Func<string, ConmanException> invalid)
    {
        if (path.Contains('\0')) throw invalid("the container path may not contain a NUL character");
        if (!path.StartsWith('/')) throw invalid("the container path must be absolute");
        if (path.Split('/').Contains("..")) throw invalid("the container path may not contain '..'");
        string normal = Normalize(path);
        // runc would mount it over the container's root filesystem, hiding it.
        if (normal == "/") throw invalid("the container path may not be '/'");
        if ((normal == "/proc" || normal.StartsWith("/proc/", StringComparison.Ordinal)) && !(bind && ProcFilesBindable.Contains(normal)))
        {
            throw invalid($"'{normal}' is in /proc, where the runtime mounts only the container's own procfs");
        }
        return normal;
    }

    /// <summary>The path without empty or "." components.</summary>
    public static string Normalize(string containerPath) =>
        "/" + string.Join('/', containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
}
