using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>Each spec option alone, on a fresh spec: no root, no runc, no file.</summary>
[Trait("Category", "Unit")]
public class SpecOptionsTests
{
    private static OciSpec Apply(params SpecOption[] options) => ContainerSpec.Build(options);

    [Fact]
    public void DockerDefaults_gives_new_namespaces_Dockers_capabilities_and_masked_paths()
    {
        var spec = Apply(SpecOptions.DockerDefaults("abc", (1024, 4096)));
        Assert.Equal(["pid", "ipc", "uts", "mount", "network"], spec.Linux.Namespaces.Select(n => n.Type));
        Assert.All(spec.Linux.Namespaces, n => Assert.Null(n.Path));
        Assert.Equal("/conman/abc", spec.Linux.CgroupsPath);
        Assert.Equal(SpecOptions.DefaultCapabilities, spec.Process.Capabilities!.Bounding);
        Assert.Equal(SpecOptions.DefaultCapabilities, spec.Process.Capabilities.Effective);
        Assert.DoesNotContain("CAP_SYS_ADMIN", spec.Process.Capabilities.Permitted);
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Contains("/proc/kcore", spec.Linux.MaskedPaths);
        Assert.Contains("/proc/sys", spec.Linux.ReadonlyPaths);
        Assert.Equal(new OciDeviceRule(false, "rwm"), Assert.Single(spec.Linux.Resources.Devices));
        Assert.Equal(new OciRlimit("RLIMIT_NOFILE", 1024, 4096), Assert.Single(spec.Process.Rlimits));
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"], spec.Mounts.Select(m => m.Destination));
        Assert.Contains("ro", spec.Mounts.Single(m => m.Destination == "/sys/fs/cgroup").Options);
        Assert.Contains("ro", spec.Mounts.Single(m => m.Destination == "/sys").Options);
        Assert.Equal(["PATH=" + SpecOptions.DefaultPath], spec.Process.Env);
    }

    [Fact]
    public void WithUnprivilegedPing_opens_ICMP_echo_sockets_to_every_group_or_to_those_mapped_with_root()
    {
        Assert.Equal("0 2147483647", Apply(SpecOptions.WithUnprivilegedPing([])).Linux.Sysctl!["net.ipv4.ping_group_range"]);
        // In a user namespace the kernel refuses a range whose ends are not mapped groups.
        var mapped = Apply(SpecOptions.WithUnprivilegedPing([new IdMapping { ContainerId = 0, HostId = 200000, Size = 65536 }]));
        Assert.Equal("0 65535", mapped.Linux.Sysctl!["net.ipv4.ping_group_range"]);
        Assert.Null(Apply(SpecOptions.WithUnprivilegedPing([new IdMapping { ContainerId = 1000, HostId = 5000, Size = 10 }])).Linux.Sysctl);
    }

    [Theory]
    [InlineData(20000UL, 1024UL, 20000UL)]
    [InlineData(512UL, 512UL, 512UL)]
    [InlineData(ulong.MaxValue, 1024UL, 1048576UL)]
    public void The_open_files_limit_never_asks_above_the_hosts_hard_limit(ulong hostHard, ulong soft, ulong hard) =>
        Assert.Equal((soft, hard), SpecOptions.FileLimitWithin(hostHard));

    [Fact]
    public void WithHostname_sets_the_uts_name_and_HOSTNAME()
    {
        var spec = Apply(SpecOptions.WithHostname("web"));
        Assert.Equal("web", spec.Hostname);
        Assert.Equal(["HOSTNAME=web"], spec.Process.Env);
    }

    [Theory]
    [InlineData(0U, 0U, "/root")]
    [InlineData(1000U, 100U, "/")]
    public void WithUser_sets_the_ids_and_Dockers_HOME(uint uid, uint gid, string home)
    {
        var spec = Apply(SpecOptions.WithUser(new UserResolver.ContainerUser(uid, gid)));
        Assert.Equal((uid, gid), (spec.Process.User.Uid, spec.Process.User.Gid));
        Assert.Equal([$"HOME={home}"], spec.Process.Env);
    }

    [Fact]
    public void WithEnvironment_overrides_earlier_defaults_in_place_and_adds_the_rest()
    {
        var spec = Apply(SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithHostname("h"),
            SpecOptions.WithEnvironment(new Dictionary<string, string> { ["PATH"] = "/opt/bin", ["MODE"] = "a=b" }));
        Assert.Equal(["PATH=/opt/bin", "HOSTNAME=h", "MODE=a=b"], spec.Process.Env);
    }

    [Fact]
    public void WithArgs_and_WithWorkingDirectory_set_what_runs_where()
    {
        var spec = Apply(SpecOptions.WithArgs(["sh", "-c", "exit 3"]), SpecOptions.WithWorkingDirectory(""));
        Assert.Equal(["sh", "-c", "exit 3"], spec.Process.Args);
        Assert.Equal("/", spec.Process.Cwd);
        Assert.Equal("/srv", Apply(SpecOptions.WithWorkingDirectory("/srv")).Process.Cwd);
    }

    [Fact]
    public void WithTerminal_asks_for_a_pty_with_TERM_and_its_first_size()
    {
        var sized = Apply(SpecOptions.WithTerminal((40, 132)));
        Assert.True(sized.Process.Terminal);
        Assert.Equal(new OciConsoleSize(40, 132), sized.Process.ConsoleSize);
        Assert.Equal(["TERM=xterm"], sized.Process.Env);
        Assert.Null(Apply(SpecOptions.WithTerminal(null)).Process.ConsoleSize);
        Assert.False(Apply().Process.Terminal);
    }

    [Fact]
    public void WithVolumes_binds_each_recursively_and_privately()
    {
        var spec = Apply(SpecOptions.WithVolumes([
            new VolumeMount { HostPath = "/srv/data", ContainerPath = "/data" },
            new VolumeMount { HostPath = "/etc/ssl", ContainerPath = "/ssl", ReadOnly = true }]));
        Assert.Equal(new OciMount("/data", "bind", "/srv/data", ["rbind", "rprivate", "rw"]), spec.Mounts[0], MountComparer.Instance);
        Assert.Equal(["rbind", "rprivate", "ro"], spec.Mounts[1].Options);
    }

    [Fact]
    public void WithReadOnlyRoot_makes_the_root_read_only()
    {
        Assert.True(Apply(SpecOptions.WithReadOnlyRoot(true)).Root.Readonly);
        Assert.False(Apply(SpecOptions.WithReadOnlyRoot(false)).Root.Readonly);
        Assert.Equal("rootfs", Apply().Root.Path);
    }

    [Fact]
    public void Only_runc_delete_may_forget_a_container_with_poststop_hooks_or_a_shared_pid_namespace()
    {
        var plain = Apply(SpecOptions.DockerDefaults("x", (1, 1)));
        Assert.False(SpecOptions.NeedsRuntimeDelete(plain));
        var hooked = Apply(SpecOptions.DockerDefaults("x", (1, 1)), s => s.Hooks = new OciHooks { Poststop = [new OciHook("/bin/true")] });
        Assert.True(SpecOptions.NeedsRuntimeDelete(hooked));
        var joined = Apply(SpecOptions.DockerDefaults("x", (1, 1)), s => s.Linux.Namespaces[0] = new OciNamespace("pid", "/proc/1/ns/pid"));
        Assert.True(SpecOptions.NeedsRuntimeDelete(joined));
        var hostPid = Apply(SpecOptions.DockerDefaults("x", (1, 1)), s => s.Linux.Namespaces.RemoveAll(n => n.Type == "pid"));
        Assert.True(SpecOptions.NeedsRuntimeDelete(hostPid));
    }

    [Fact]
    public void A_containers_spec_is_its_definition_through_the_options_and_serialises_as_the_runtime_spec_names_it()
    {
        var definition = new ContainerDefinition { Process = new() { Hostname = "box", WorkingDirectory = "/w", Tty = true }, Storage = new() { ReadOnly = true } }.WithGroups();
        definition.Process.Command.AddRange(["/bin/app", "--serve"]);
        definition.Process.Environment["TERM"] = "dumb";
        var spec = ContainerSpec.Build([.. ContainerSpec.Options("id1", definition, new UserResolver.ContainerUser(5, 6), (24, 80), (1024, 1024)),
            SpecOptions.WithNetworkNamespace("/run/conman/x/netns/id1"), SpecOptions.WithNetworkFiles(new("/c/hosts", "/c/hostname", "/c/resolv.conf"))]);
        Assert.Equal(["/bin/app", "--serve"], spec.Process.Args);
        Assert.Equal(["PATH=" + SpecOptions.DefaultPath, "HOSTNAME=box", "HOME=/", "TERM=dumb"], spec.Process.Env);
        Assert.Equal(("/w", 5U, true, true), (spec.Process.Cwd, spec.Process.User.Uid, spec.Process.Terminal, spec.Root.Readonly));

        using var json = System.Text.Json.JsonDocument.Parse(spec.ToJson());
        var root = json.RootElement;
        Assert.Equal("1.0.2", root.GetProperty("ociVersion").GetString());
        Assert.Equal(24, root.GetProperty("process").GetProperty("consoleSize").GetProperty("height").GetInt32());
        Assert.Equal("/conman/id1", root.GetProperty("linux").GetProperty("cgroupsPath").GetString());
        Assert.False(root.TryGetProperty("hooks", out _));
        Assert.False(root.GetProperty("linux").GetProperty("namespaces")[0].TryGetProperty("path", out _));
        var network = root.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("type").GetString() == "network");
        Assert.Equal("/run/conman/x/netns/id1", network.GetProperty("path").GetString());
        Assert.Contains(spec.Mounts, m => m.Destination == "/etc/resolv.conf" && m.Source == "/c/resolv.conf" && m.Type == "bind");
    }

    [Fact]
    public void A_container_on_the_hosts_network_has_no_network_namespace_of_its_own()
    {
        var spec = Apply(SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithHostNetwork());
        Assert.DoesNotContain(spec.Linux.Namespaces, n => n.Type == "network");
        var joined = Apply(SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithNetworkNamespace("/run/n"));
        Assert.Single(joined.Linux.Namespaces, n => n.Type == "network" && n.Path == "/run/n");
    }

    [Fact]
    public void An_execs_process_is_the_containers_with_its_own_command_environment_and_terminal()
    {
        var definition = new ContainerDefinition { Process = new() { Hostname = "box", Tty = true } }.WithGroups();
        definition.Process.Command.Add("/bin/app");
        definition.Process.Environment["MODE"] = "prod";
        var process = ContainerSpec.Build(ContainerSpec.ExecOptions("id1", definition, new UserResolver.ContainerUser(0, 0), ["sh"],
            new Dictionary<string, string> { ["MODE"] = "debug" }, "/tmp", tty: false, null, (1024, 1024))).Process;
        Assert.Equal(["sh"], process.Args);
        Assert.Equal("/tmp", process.Cwd);
        Assert.False(process.Terminal);
        Assert.Contains("MODE=debug", process.Env);
        // The container's environment, which a -Tty container's TERM is part of (podman exec's too).
        Assert.Contains("TERM=xterm", process.Env);
    }

    [Fact]
    public void An_exec_in_a_container_without_a_terminal_gets_no_TERM()
    {
        var definition = new ContainerDefinition { Process = new() { Hostname = "box" } }.WithGroups();
        var process = ContainerSpec.Build(ContainerSpec.ExecOptions("id1", definition, new UserResolver.ContainerUser(0, 0), ["sh"],
            new Dictionary<string, string>(), "/", tty: false, null, (1024, 1024))).Process;
        Assert.DoesNotContain(process.Env, e => e.StartsWith("TERM=", StringComparison.Ordinal));
    }

    /// <summary>OciMount's options are a list: records compare lists by reference.</summary>
    private sealed class MountComparer : IEqualityComparer<OciMount>
    {
        public static readonly MountComparer Instance = new();
        public bool Equals(OciMount? x, OciMount? y) =>
            x is not null && y is not null && (x.Destination, x.Type, x.Source) == (y.Destination, y.Type, y.Source) && x.Options.SequenceEqual(y.Options);
        public int GetHashCode(OciMount obj) => obj.Destination.GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void WithMemoryLimit_sets_the_limit_and_memory_plus_swap()
    {
        var spec = Apply(SpecOptions.WithMemoryLimit(64L << 20, 128L << 20));
        Assert.Equal(new OciMemory(64L << 20, 128L << 20), spec.Linux.Resources.Memory);
        Assert.Null(Apply(SpecOptions.WithMemoryLimit(64L << 20, null)).Linux.Resources.Memory!.Swap);
    }

    [Theory]
    [InlineData(500_000_000L, 50_000L)]
    [InlineData(1_500_000_000L, 150_000L)]
    [InlineData(10_000_000L, 1_000L)]
    public void WithCpuLimit_is_a_quota_of_a_100ms_period(long nanoCpus, long quota)
    {
        var cpu = Apply(SpecOptions.WithCpuLimit(nanoCpus)).Linux.Resources.Cpu!;
        Assert.Equal((quota, 100_000UL), (cpu.Quota, cpu.Period));
    }

    [Fact]
    public void Cpu_shares_and_cpuset_go_into_the_same_cpu_resources()
    {
        var cpu = Apply(SpecOptions.WithCpuLimit(1_000_000_000), SpecOptions.WithCpuShares(512), SpecOptions.WithCpuset("0-1")).Linux.Resources.Cpu!;
        Assert.Equal((100_000L, 512UL, "0-1"), (cpu.Quota, cpu.Shares, cpu.Cpus));
    }

    [Fact]
    public void WithPidsLimit_sets_the_pids_limit() => Assert.Equal(new OciPids(32), Apply(SpecOptions.WithPidsLimit(32)).Linux.Resources.Pids);

    [Fact]
    public void WithUlimits_replaces_the_default_open_files_limit_and_adds_the_rest()
    {
        var spec = Apply(SpecOptions.DockerDefaults("x", (1024, 4096)),
            SpecOptions.WithUlimits([new Ulimit { Name = "nofile", Soft = 100, Hard = 200 }, new Ulimit { Name = "core", Soft = 0, Hard = 0 }]));
        Assert.Equal([new OciRlimit("RLIMIT_NOFILE", 100, 200), new OciRlimit("RLIMIT_CORE", 0, 0)], spec.Process.Rlimits);
    }

    [Fact]
    public void WithShmSize_resizes_the_dev_shm_mount()
    {
        var spec = Apply(SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithShmSize(128L << 20));
        var shm = spec.Mounts.Single(m => m.Destination == "/dev/shm").Options;
        Assert.Equal(["size=134217728"], shm.Where(o => o.StartsWith("size=")));
    }

    [Fact]
    public void A_definitions_limits_all_reach_the_spec_and_none_are_written_without_limits()
    {
        var definition = new ContainerDefinition { Process = new() { Hostname = "h" } }.WithGroups();
        definition.Process.Command.Add("sh");
        var plain = ContainerSpec.Build(ContainerSpec.Options("x", definition, new UserResolver.ContainerUser(0, 0), null, (1, 1)));
        Assert.Equal((null, null, null), (plain.Linux.Resources.Memory, plain.Linux.Resources.Cpu, plain.Linux.Resources.Pids));
        definition.Resources = new ResourceLimits { MemoryBytes = 64L << 20, NanoCpus = 500_000_000, PidsLimit = 10, ShmSizeBytes = 1 << 20 };
        var limited = ContainerSpec.Build(ContainerSpec.Options("x", definition, new UserResolver.ContainerUser(0, 0), null, (1, 1)));
        Assert.Equal(64L << 20, limited.Linux.Resources.Memory!.Limit);
        Assert.Equal(50_000L, limited.Linux.Resources.Cpu!.Quota);
        Assert.Equal(10L, limited.Linux.Resources.Pids!.Limit);
        Assert.Contains("size=1048576", limited.Mounts.Single(m => m.Destination == "/dev/shm").Options);
    }

    [Fact]
    public void WithInit_runs_the_command_under_the_init_bound_at_dev_init()
    {
        var spec = Apply(SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithArgs(["sleep", "5"]), SpecOptions.WithInit("/usr/bin/catatonit"));
        Assert.Equal(["/dev/init", "--", "sleep", "5"], spec.Process.Args);
        var init = spec.Mounts.Single(m => m.Destination == "/dev/init");
        Assert.Equal(("bind", "/usr/bin/catatonit"), (init.Type, init.Source));
        Assert.Contains("ro", init.Options);
        Assert.True(spec.Mounts.FindIndex(m => m.Destination == "/dev") < spec.Mounts.IndexOf(init), "after /dev's tmpfs, which it lies in");
    }
}
