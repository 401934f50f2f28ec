using Conman.Engine.Resources;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>One change to an OCI spec. A container's spec is a list of these applied in order (containerd's SpecOpts).</summary>
internal delegate void SpecOption(OciSpec spec);

/// <summary>
/// The spec options Conman composes a container's config.json from (<see cref="ContainerSpec"/>).
/// Each is pure (no file, no process), so each has a unit test of its own; a new container
/// setting is one option here and one line in ContainerSpec.
/// </summary>
internal static class SpecOptions
{
    /// <summary>
    /// Docker's default capability set (moby oci/caps/defaults.go) less CAP_NET_RAW, which podman
    /// drops too: with it a container forges frames and packets on its network (ARP spoofing,
    /// router advertisements, packets to the host's 127.0.0.1). ping works without it
    /// (<see cref="WithUnprivilegedPing"/>, <see cref="Capabilities.Bounding"/>); -CapAdd NET_RAW gives it back.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public static readonly IReadOnlyList<string> MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    public static readonly IReadOnlyList<string> ReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Its own pid, ipc, uts, mount and network namespaces (loopback only), the default capabilities,
    /// no new privileges, the masked and read-only /proc paths, no device but the defaults, the
    /// standard mounts, PATH, and the container's cgroup under /conman.
    /// </summary>
    public static SpecOption DockerDefaults(string containerId, (ulong Soft, ulong Hard) fileLimit) => spec =>
    {
        foreach (string type in new[] { "pid", "ipc", "uts", "mount", "network" }) spec.Linux.Namespaces.Add(new OciNamespace(type));
        spec.Linux.CgroupsPath = CgroupLayout.ContainerPath(containerId);
        spec.Linux.Resources.Devices.Add(new OciDeviceRule(Allow: false, Access: "rwm"));
        spec.Linux.MaskedPaths.AddRange(MaskedPaths);
        spec.Linux.ReadonlyPaths.AddRange(ReadOnlyPaths);
        spec.Mounts.AddRange(StandardMounts());
        spec.Process.Capabilities = new OciCapabilities { Bounding = [.. DefaultCapabilities], Effective = [.. DefaultCapabilities], Permitted = [.. DefaultCapabilities] };
        spec.Process.Rlimits.Add(new OciRlimit("RLIMIT_NOFILE", fileLimit.Soft, fileLimit.Hard));
        spec.Process.NoNewPrivileges = true;
        spec.Process.SetEnv("PATH", DefaultPath);
    };

    private static IEnumerable<OciMount> StandardMounts() =>
    [
        new("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
        new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        new("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        new("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        new("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        // The container's own cgroup, read-only, as Docker mounts it: its limits and usage seen from inside.
        new("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]),
    ];

    /// <summary>
    /// Docker asks for 1024 soft and a large hard limit; without CAP_SYS_RESOURCE a hard limit above
    /// the host's fails the create with "operation not permitted", so never ask above it.
    /// </summary>
    public static (ulong Soft, ulong Hard) FileLimitWithin(ulong hostHard)
    {
        ulong hard = Math.Min(hostHard, 1048576);
        return (Math.Min(1024, hard), hard);
    }

    public static unsafe (ulong Soft, ulong Hard) HostFileLimit()
    {
        LibC.RLimit limit;
        return FileLimitWithin(LibC.getrlimit(LibC.RLIMIT_NOFILE, &limit) == 0 ? limit.Maximum : 1024);
    }

    /// <summary>The UTS name, and HOSTNAME in the environment as Docker sets it.</summary>
    public static SpecOption WithHostname(string hostname) => spec =>
    {
        spec.Hostname = hostname;
        spec.Process.SetEnv("HOSTNAME", hostname);
    };

    /// <summary>The ids the process runs as, and HOME as Docker defaults it (/root for root, / otherwise).</summary>
    public static SpecOption WithUser(UserResolver.ContainerUser user) => spec =>
    {
        spec.Process.User = new OciUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids is { Count: > 0 } more ? [.. more] : null };
        spec.Process.SetEnv("HOME", user.Uid == 0 ? "/root" : "/");
    };

    public static SpecOption WithArgs(IReadOnlyList<string> arguments) => spec => spec.Process.Args = [.. arguments];

    /// <summary>The working directory; empty means the root, as Docker's default.</summary>
    public static SpecOption WithWorkingDirectory(string workingDirectory) => spec =>
        spec.Process.Cwd = string.IsNullOrEmpty(workingDirectory) ? "/" : workingDirectory;

    /// <summary>Variables the user (or the image) set; they override the defaults of earlier options.</summary>
    public static SpecOption WithEnvironment(IReadOnlyDictionary<string, string> environment) => spec =>
    {
        foreach (var (name, value) in environment) spec.Process.SetEnv(name, value);
    };

    /// <summary>
    /// A pseudo-terminal, with TERM=xterm as Docker sets it, and its first size when a client
    /// terminal is known (runc sets it before the process runs, so it never starts at 0x0).
    /// </summary>
    public static SpecOption WithTerminal((ushort Rows, ushort Columns)? size) => spec =>
    {
        spec.Process.Terminal = true;
        WithTerminalType()(spec);
        if (size is var (rows, columns)) spec.Process.ConsoleSize = new OciConsoleSize(rows, columns);
    };

    /// <summary>TERM=xterm, Docker's value for a container with a terminal.</summary>
    public static SpecOption WithTerminalType() => spec => spec.Process.SetEnv("TERM", "xterm");

    /// <summary>Host paths bound in, as docker -v: recursive, private, read-only or read-write.</summary>
    public static SpecOption WithVolumes(IEnumerable<VolumeMount> volumes) => spec =>
    {
        foreach (var volume in volumes)
        {
            spec.Mounts.Add(new OciMount(volume.ContainerPath, "bind", volume.HostPath, ["rbind", "rprivate", volume.ReadOnly ? "ro" : "rw"]));
        }
    };

    /// <summary>Store volumes (named or anonymous), bound in from their data folders as docker's volumes are.</summary>
    public static SpecOption WithStoreVolumes(IEnumerable<VolumeUse> volumes, Func<string, string> dataFolder) => spec =>
    {
        foreach (var volume in volumes)
        {
            spec.Mounts.Add(new OciMount(volume.ContainerPath, "bind", dataFolder(volume.Name), ["rbind", "rprivate", volume.ReadOnly ? "ro" : "rw"]));
        }
    };

    /// <summary>
    /// Host devices (docker --device): each node made in the container's /dev with the host's
    /// numbers, mode and owner, and allowed by the devices cgroup with its permissions only.
    /// </summary>
    public static SpecOption WithDevices(IEnumerable<DeviceMapping> devices) => spec =>
    {
        foreach (var device in devices)
        {
            (spec.Linux.Devices ??= []).Add(new OciDevice(device.ContainerPath, device.Type, device.Major, device.Minor, device.FileMode, device.Uid, device.Gid));
            spec.Linux.Resources.Devices.Add(new OciDeviceRule(Allow: true, device.Permissions, device.Type, device.Major, device.Minor));
        }
    };

    /// <summary>The container's files that say who and where it is on its networks, bound over the image's.</summary>
    public sealed record NetworkFiles(string Hosts, string Hostname, string ResolvConf);

    /// <summary>Joins the network namespace made (and set up) before runc runs, rather than a new empty one.</summary>
    public static SpecOption WithNetworkNamespace(string path) => spec =>
    {
        spec.Linux.Namespaces.RemoveAll(n => n.Type == "network");
        spec.Linux.Namespaces.Add(new OciNamespace("network", path));
    };

    /// <summary>The host's network namespace (-Network host): no namespace of its own.</summary>
    public static SpecOption WithHostNetwork() => spec => spec.Linux.Namespaces.RemoveAll(n => n.Type == "network");

    /// <summary>
    /// IPv6 off on the container's interfaces (its networks are IPv4 only), and on those a later
    /// connect gives it (default: the bridge plugin makes them in the namespace): otherwise an
    /// interface takes any router advertisement on its bridge, and a neighbour that sends one
    /// becomes its IPv6 router. lo keeps ::1, as Docker keeps it (a server listening on [::]
    /// works either way). runc writes them before the container's process runs; what an
    /// advertisement gave an interface meanwhile goes with its IPv6.
    /// </summary>
    public static SpecOption WithoutIpv6(IEnumerable<string> interfaces) => spec =>
    {
        var sysctl = spec.Linux.Sysctl ??= [];
        sysctl["net.ipv6.conf.default.disable_ipv6"] = "1";
        foreach (string name in interfaces) sysctl[$"net.ipv6.conf.{name}.disable_ipv6"] = "1";
    };

    /// <summary>
    /// ICMP echo sockets for the container's groups (net.ipv4.ping_group_range, in its own network
    /// namespace), so that ping works without CAP_NET_RAW, as Docker sets it. In a user namespace
    /// the range may name only mapped groups: the one that holds the container's root group.
    /// </summary>
    public static SpecOption WithUnprivilegedPing(IReadOnlyList<IdMapping> gidMappings) => spec =>
    {
        uint? last = gidMappings.Count == 0 ? int.MaxValue : gidMappings.FirstOrDefault(m => m.ContainerId == 0)?.Size - 1;
        if (last is { } high) (spec.Linux.Sysctl ??= [])["net.ipv4.ping_group_range"] = $"0 {high}";
    };

    /// <summary>/etc/hosts, /etc/hostname and /etc/resolv.conf from the container's folder, writable as Docker's.</summary>
    public static SpecOption WithNetworkFiles(NetworkFiles files) => spec =>
    {
        spec.Mounts.Add(new OciMount("/etc/hosts", "bind", files.Hosts, ["rbind", "rprivate", "rw"]));
        spec.Mounts.Add(new OciMount("/etc/hostname", "bind", files.Hostname, ["rbind", "rprivate", "rw"]));
        spec.Mounts.Add(new OciMount("/etc/resolv.conf", "bind", files.ResolvConf, ["rbind", "rprivate", "rw"]));
    };

    public static SpecOption WithReadOnlyRoot(bool readOnly) => spec => spec.Root.Readonly = readOnly;

    /// <summary>The capabilities the process has: bounding, effective and permitted alike, as Docker sets them.</summary>
    public static SpecOption WithCapabilities(IReadOnlyList<string> capabilities, IReadOnlyList<string>? bounding = null) => spec =>
        spec.Process.Capabilities = new OciCapabilities { Bounding = [.. bounding ?? capabilities], Effective = [.. capabilities], Permitted = [.. capabilities] };

    /// <summary>-SecurityOpt no-new-privileges=false: execve may raise privileges again (setuid, file capabilities), as Docker's default allows.</summary>
    public static SpecOption WithNewPrivileges() => spec => spec.Process.NoNewPrivileges = false;

    /// <summary>The seccomp filter runc loads; null for none (-SecurityOpt seccomp=unconfined, -Privileged).</summary>
    public static SpecOption WithSeccomp(OciSeccomp? seccomp) => spec => spec.Linux.Seccomp = seccomp;

    /// <summary>
    /// Docker's --privileged, besides every capability and no seccomp filter: every device allowed,
    /// nothing of /proc masked or read-only, /sys writable.
    /// </summary>
    public static SpecOption WithPrivileged() => spec =>
    {
        spec.Linux.Resources.Devices.Clear();
        spec.Linux.Resources.Devices.Add(new OciDeviceRule(Allow: true, Access: "rwm"));
        spec.Linux.MaskedPaths.Clear();
        spec.Linux.ReadonlyPaths.Clear();
        int sys = spec.Mounts.FindIndex(m => m.Destination == "/sys");
        if (sys >= 0) spec.Mounts[sys] = spec.Mounts[sys] with { Options = [.. spec.Mounts[sys].Options.Select(o => o == "ro" ? "rw" : o)] };
    };

    /// <summary>Device nodes of the host made in the container's /dev (what -Privileged gives, with every device allowed).</summary>
    public static SpecOption WithDevices(IEnumerable<OciDevice> devices) => spec => (spec.Linux.Devices ??= []).AddRange(devices);

    /// <summary>tmpfs mounts (docker --tmpfs): Docker's options first (noexec, nosuid, nodev), then the user's, which win.</summary>
    public static SpecOption WithTmpfs(IEnumerable<TmpfsMount> mounts) => spec =>
    {
        foreach (var mount in mounts) spec.Mounts.Add(new OciMount(mount.ContainerPath, "tmpfs", "tmpfs", [.. TmpfsSpec.DefaultOptions, .. mount.Options]));
    };

    // Limits (issue 11): linux.resources, rlimits and /dev/shm, one option per Docker flag. runc
    // writes them to cgroup v1 or v2 files alike (v1 cpu.shares becomes v2 cpu.weight).

    /// <param name="swap">Memory plus swap (-1 unlimited); null leaves swap as the kernel has it.</param>
    public static SpecOption WithMemoryLimit(long limit, long? swap) => spec => spec.Linux.Resources.Memory = new OciMemory(limit, swap);

    /// <summary>docker --cpus: a CFS quota of that many CPUs' worth of each 100 ms period.</summary>
    public static SpecOption WithCpuLimit(long nanoCpus) => spec =>
    {
        var cpu = spec.Linux.Resources.Cpu ??= new OciCpu();
        cpu.Period = (ulong)ResourceDefinitions.CpuPeriodMicroseconds;
        cpu.Quota = nanoCpus * ResourceDefinitions.CpuPeriodMicroseconds / 1_000_000_000;
    };

    public static SpecOption WithCpuShares(ulong shares) => spec => (spec.Linux.Resources.Cpu ??= new OciCpu()).Shares = shares;

    public static SpecOption WithCpuset(string cpus) => spec => (spec.Linux.Resources.Cpu ??= new OciCpu()).Cpus = cpus;

    /// <param name="limit">Most tasks at once; -1 unlimited (runc writes "max").</param>
    public static SpecOption WithPidsLimit(long limit) => spec => spec.Linux.Resources.Pids = new OciPids(limit);

    /// <summary>rlimits by Docker's names; one given for a resource replaces the default (the open-files limit).</summary>
    public static SpecOption WithUlimits(IEnumerable<Ulimit> ulimits) => spec =>
    {
        foreach (var ulimit in ulimits)
        {
            string type = "RLIMIT_" + ulimit.Name.ToUpperInvariant();
            spec.Process.Rlimits.RemoveAll(r => r.Type == type);
            spec.Process.Rlimits.Add(new OciRlimit(type, ulimit.Soft, ulimit.Hard));
        }
    };

    /// <summary>The size of /dev/shm (Docker's --shm-size; 64 MiB by default).</summary>
    public static SpecOption WithShmSize(long bytes) => spec =>
    {
        var shm = spec.Mounts.Find(m => m.Destination == "/dev/shm");
        if (shm is null) return;
        shm.Options.RemoveAll(o => o.StartsWith("size=", StringComparison.Ordinal));
        shm.Options.Add($"size={bytes}");
    };

    /// <summary>
    /// docker run --init: the init binary bound read-only at /dev/init runs as pid 1 and runs the
    /// command ("init -- command"), so that signals reach it and orphans are reaped. After WithArgs.
    /// </summary>
    public static SpecOption WithInit(string hostBinary) => spec =>
    {
        spec.Mounts.Add(new OciMount(Supervision.InitBinary.ContainerPath, "bind", hostBinary, ["bind", "ro", "nosuid", "nodev"]));
        spec.Process.Args = [Supervision.InitBinary.ContainerPath, "--", .. spec.Process.Args];
    };

    /// <summary>
    /// Joins the container's user namespace, made before runc runs with these maps (which runc
    /// still reads to know the container's root on the host). After the network options: sysfs
    /// mounts only in a network namespace of the user namespace's, which the host's is not, so on
    /// the host's network /sys is the host's bound read-only instead, as podman binds it then.
    /// </summary>
    public static SpecOption WithUserNamespace(string path, IEnumerable<IdMapping> uids, IEnumerable<IdMapping> gids) => spec =>
    {
        spec.Linux.Namespaces.Add(new OciNamespace("user", path));
        spec.Linux.UidMappings = [.. uids.Select(m => new OciIdMapping(m.ContainerId, m.HostId, m.Size))];
        spec.Linux.GidMappings = [.. gids.Select(m => new OciIdMapping(m.ContainerId, m.HostId, m.Size))];
        int sys = spec.Mounts.FindIndex(m => m.Destination == "/sys" && m.Type == "sysfs");
        if (sys >= 0 && !spec.Linux.Namespaces.Any(n => n.Type == "network"))
        {
            // rro: read-only all the way down (runc 1.1's recursive mount_setattr); ro is the top mount's alone.
            spec.Mounts[sys] = new OciMount("/sys", "bind", "/sys", ["rbind", "rprivate", "nosuid", "noexec", "nodev", "rro"]);
        }
    };

    /// <summary>
    /// Whether only `runc delete` may forget the stopped container: it runs the poststop hooks,
    /// and kills what is left in a pid namespace the container shared; the shim's own cleanup
    /// does neither.
    /// </summary>
    public static bool NeedsRuntimeDelete(OciSpec spec) =>
        spec.Hooks?.Poststop is { Count: > 0 } || spec.Linux.Namespaces.Any(n => n.Type == "pid" && n.Path is not null)
        || !spec.Linux.Namespaces.Any(n => n.Type == "pid");
}
