namespace Conman.Engine.Resources;

/// <summary>
/// Where a container's cgroup is on this host. runc's cgroupfs driver puts it at the spec's
/// cgroupsPath (/conman/&lt;id&gt;) under each v1 controller's hierarchy, or once under the v2
/// unified hierarchy when /sys/fs/cgroup is cgroup2 (runc's own test: the mount, not what is
/// compiled in). Stats, processes and the paused state are read from these files: no process
/// per container.
/// </summary>
internal sealed class CgroupLayout(string mountPoint, bool unified)
{
    public static CgroupLayout Current { get; } = new("/sys/fs/cgroup", File.Exists("/sys/fs/cgroup/cgroup.controllers"));

    public string MountPoint { get; } = mountPoint;
    /// <summary>cgroup v2: one hierarchy, every controller's files in one folder.</summary>
    public bool Unified { get; } = unified;

    /// <summary>The spec's cgroupsPath for a container.</summary>
    public static string ContainerPath(string containerId) => $"/conman/{containerId}";

    /// <summary>The folder of a v1 controller's (memory, cpuacct, pids, blkio, freezer, cpu, cpuset) files for the container; on v2, its one folder.</summary>
    public string Folder(string containerId, string controller) =>
        Unified ? MountPoint + ContainerPath(containerId) : $"{MountPoint}/{controller}{ContainerPath(containerId)}";

    /// <summary>
    /// Whether the memory controller limits memory plus swap (swap accounting is on): v1 has
    /// memory.memsw.* at its root; v2's root has no memory files, but every child of it with the
    /// memory controller has memory.swap.max when swap is accounted.
    /// </summary>
    public bool SupportsSwapLimit() => Unified
        ? Directory.Exists(MountPoint) && Directory.EnumerateDirectories(MountPoint).Any(d => File.Exists(Path.Combine(d, "memory.swap.max")))
        : File.Exists($"{MountPoint}/memory/memory.memsw.limit_in_bytes");
}
