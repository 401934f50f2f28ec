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
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    public static readonly IReadOnlyList<string> DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
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
    /// Its own pid, ipc, uts, mount and network namespaces (loopback only), Docker's capabilities,
    /// no new privileges, the masked and read-only /proc paths, no device but the defaults, the
    /// standard mounts, PATH, and the container's cgroup under /conman.
    /// </summary>
    public static SpecOption DockerDefaults(string containerId, (ulong Soft, ulong Hard) fileLimit) => spec =>
    {
        foreach (string type in new[] { "pid", "ipc", "uts", "mount", "network" }) spec.Linux.Namespaces.Add(new OciNamespace(type));
        spec.Linux.CgroupsPath = $"/conman/{containerId}";
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
        spec.Process.User = new OciUser { Uid = user.Uid, Gid = user.Gid };
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
        spec.Process.SetEnv("TERM", "xterm");
        if (size is var (rows, columns)) spec.Process.ConsoleSize = new OciConsoleSize(rows, columns);
    };

    /// <summary>Host paths bound in, as docker -v: recursive, private, read-only or read-write.</summary>
    public static SpecOption WithVolumes(IEnumerable<VolumeMount> volumes) => spec =>
    {
        foreach (var volume in volumes)
        {
            spec.Mounts.Add(new OciMount(volume.ContainerPath, "bind", volume.HostPath, ["rbind", "rprivate", volume.ReadOnly ? "ro" : "rw"]));
        }
    };

    public static SpecOption WithReadOnlyRoot(bool readOnly) => spec => spec.Root.Readonly = readOnly;

    /// <summary>The capabilities the process has: bounding, effective and permitted alike, as Docker sets them.</summary>
    public static SpecOption WithCapabilities(IReadOnlyList<string> capabilities) => spec =>
        spec.Process.Capabilities = new OciCapabilities { Bounding = [.. capabilities], Effective = [.. capabilities], Permitted = [.. capabilities] };

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

    /// <summary>
    /// Whether only `runc delete` may forget the stopped container: it runs the poststop hooks,
    /// and kills what is left in a pid namespace the container shared; the shim's own cleanup
    /// does neither.
    /// </summary>
    public static bool NeedsRuntimeDelete(OciSpec spec) =>
        spec.Hooks?.Poststop is { Count: > 0 } || spec.Linux.Namespaces.Any(n => n.Type == "pid" && n.Path is not null)
        || !spec.Linux.Namespaces.Any(n => n.Type == "pid");
}
