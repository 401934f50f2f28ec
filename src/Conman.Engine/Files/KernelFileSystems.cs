using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Files;

/// <summary>
/// The kernel's own file systems (proc, sysfs, cgroup, devpts, mqueue and the like), which runc
/// mounts in a running container: their files are made up by the kernel as they are read, and
/// read by Conman (root on the host, with every capability) they would say what the container's
/// processes may not read (/proc/kmsg, the host's sysfs attributes), or never end. A copy never
/// reads them: docker cp sees only their empty mount points, podman cp leaves /proc, /sys and
/// /dev out.
/// </summary>
internal static unsafe class KernelFileSystems
{
    // linux/magic.h.
    private static readonly HashSet<long> Magics =
    [
        0x9fa0,             // proc
        0x62656572,         // sysfs
        0x27e0eb,           // cgroup
        0x63677270,         // cgroup2
        0x1cd1,             // devpts
        0x19800202,         // mqueue
        0x73636673,         // securityfs
        0x64626720,         // debugfs
        0x74726163,         // tracefs
        0xcafe4a11,         // bpf
        0x6165676c,         // pstore
        0x62656570,         // configfs
        0xde5e81e4,         // efivarfs
        0x42494e4d,         // binfmt_misc
        0x65735543,         // fusectl
        0xf97cff8c,         // selinuxfs
        0x6e736673,         // nsfs
    ];

    /// <summary>Whether what <paramref name="handle"/> holds (a folder, a file, even an O_PATH descriptor) lies on one of them.</summary>
    public static bool Holds(SafeFileHandle handle)
    {
        LibC.FileSystemStatus status;
        return LibC.fstatfs(handle.DangerousGetHandle().ToInt32(), &status) == 0 && Magics.Contains(status.Type);
    }
}
