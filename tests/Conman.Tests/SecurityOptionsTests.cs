using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>Docker's security defaults as spec options: the seccomp profile, capabilities, -Privileged, tmpfs. No root, no runc.</summary>
public sealed class SecurityOptionsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-security").FullName;

    private static OciSpec Spec(ContainerDefinition definition) =>
        ContainerSpec.Build(ContainerSpec.Options("abc", definition, new UserResolver.ContainerUser(0, 0), null, (1024, 4096)));

    private static ContainerDefinition Definition(Action<ContainerDefinition>? change = null)
    {
        var definition = new ContainerDefinition { RootFs = "/rootfs", Process = new() { Hostname = "abc" } }.WithGroups();
        definition.Process.Command.Add("sh");
        change?.Invoke(definition);
        return definition;
    }

    private static IEnumerable<string> Allowed(OciSeccomp seccomp) =>
        seccomp.Syscalls.Where(s => s.Action == "SCMP_ACT_ALLOW" && s.Args is null).SelectMany(s => s.Names);

    [Fact]
    public void The_default_profile_refuses_what_Docker_refuses_and_allows_the_rest()
    {
        var seccomp = Spec(Definition()).Linux.Seccomp!;
        Assert.Equal(("SCMP_ACT_ERRNO", (uint?)1), (seccomp.DefaultAction, seccomp.DefaultErrnoRet));
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        var allowed = Allowed(seccomp).ToHashSet();
        foreach (string everyday in new[] { "read", "write", "openat", "execve", "mmap", "futex", "clock_gettime", "socket", "ptrace", "chroot" })
        {
            Assert.Contains(everyday, allowed);
        }
        foreach (string refused in new[] { "mount", "umount2", "unshare", "setns", "keyctl", "add_key", "init_module", "reboot", "kexec_load",
                     "bpf", "settimeofday", "io_uring_setup", "userfaultfd", "open_by_handle_at", "clone", "clone3", "personality" })
        {
            Assert.DoesNotContain(refused, allowed);
        }
        // clone without new namespaces; clone3 as if absent, so that glibc falls back to clone.
        var clone = seccomp.Syscalls.Single(s => s.Names.SequenceEqual(["clone"]));
        Assert.Equal(new OciSyscallArg(0, 0x7E020000, 0, "SCMP_CMP_MASKED_EQ"), Assert.Single(clone.Args!));
        Assert.Equal(("SCMP_ACT_ERRNO", (uint?)38), seccomp.Syscalls.Where(s => s.Names.SequenceEqual(["clone3"])).Select(s => (s.Action, s.ErrnoRet)).Single());
    }

    [Fact]
    public void NET_RAW_is_out_of_the_default_capabilities_and_CapAdd_gives_it_back()
    {
        var defaults = Spec(Definition()).Process.Capabilities!;
        Assert.DoesNotContain("CAP_NET_RAW", defaults.Effective);
        Assert.DoesNotContain("CAP_NET_RAW", defaults.Permitted);
        Assert.Equal(["CAP_NET_RAW"], defaults.Bounding.Except(defaults.Effective));
        var added = Spec(Definition(d => d.Security.CapAdd.Add("CAP_NET_RAW"))).Process.Capabilities!;
        Assert.Contains("CAP_NET_RAW", added.Effective);
        Assert.Contains("CAP_NET_RAW", added.Permitted);
        Assert.Equal(added.Effective, added.Bounding);
    }

    [Fact]
    public void NET_RAW_stays_in_the_bounding_set_only_under_no_new_privileges_and_unless_dropped()
    {
        Assert.DoesNotContain("CAP_NET_RAW", Spec(Definition(d => d.Security.AllowNewPrivileges = true)).Process.Capabilities!.Bounding);
        Assert.DoesNotContain("CAP_NET_RAW", Spec(Definition(d => d.Security.CapDrop.Add("CAP_NET_RAW"))).Process.Capabilities!.Bounding);
        Assert.Empty(Spec(Definition(d => d.Security.CapDrop.Add("ALL"))).Process.Capabilities!.Bounding);
    }

    private static ContainerNetworking Networking() => new("abc", "c", "h", "/run/conman/x/netns/abc");

    private static OciSpec WithResources(params IHostResource[] resources) =>
        ContainerSpec.Build([.. ContainerSpec.Options("abc", Definition(), new UserResolver.ContainerUser(0, 0), null, (1024, 4096)),
            .. resources.SelectMany(r => r.SpecOptions)]);

    [Fact]
    public void Ping_needs_no_capability_in_the_containers_own_network_namespace_only()
    {
        // The namespace made for it (bridge or none) says so; on the host's network there is none, and runc refuses net.* sysctls there.
        Assert.Equal("0 2147483647", WithResources(new NetworkNamespace(Networking())).Linux.Sysctl!["net.ipv4.ping_group_range"]);
        Assert.Equal("0 65535", WithResources(new NetworkNamespace(Networking(), gidMappings: [new IdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }]))
            .Linux.Sysctl!["net.ipv4.ping_group_range"]);
        Assert.Null(Spec(Definition(d => d.Network.Mode = NetworkMode.Host)).Linux.Sysctl);
    }

    [Fact]
    public void IPv6_goes_off_on_a_bridge_network_containers_interfaces_and_those_connected_later_not_on_lo()
    {
        var network = new NetworkRecord { Name = "n", Bridge = "cm-aaaaaaaaaaaa", Subnet = "10.90.3.0/24", Gateway = "10.90.3.1" };
        CniAttachment Attachment(string name) => new(Networking(), network, name, [], "/ipam", "/c/cni-n.json", _ => { });
        var sysctl = WithResources(new NetworkNamespace(Networking()), Attachment("eth0"), Attachment("eth1")).Linux.Sysctl!;
        Assert.Equal(["1", "1", "1"], new[] { "default", "eth0", "eth1" }.Select(i => sysctl[$"net.ipv6.conf.{i}.disable_ipv6"]));
        Assert.DoesNotContain(sysctl.Keys, k => k.StartsWith("net.ipv6.conf.lo.") || k.StartsWith("net.ipv6.conf.all."));
        // -Network none: loopback alone, nothing to turn off.
        Assert.DoesNotContain(WithResources(new NetworkNamespace(Networking())).Linux.Sysctl!.Keys, k => k.StartsWith("net.ipv6."));
    }

    [Fact]
    public void A_capability_brings_the_syscalls_it_governs()
    {
        var spec = Spec(Definition(d => { d.Security.CapAdd.Add("CAP_SYS_ADMIN"); d.Security.CapAdd.Add("CAP_SYS_TIME"); d.Security.CapDrop.Add("CAP_NET_RAW"); }));
        Assert.Contains("CAP_SYS_ADMIN", spec.Process.Capabilities!.Effective);
        Assert.DoesNotContain("CAP_NET_RAW", spec.Process.Capabilities.Bounding);
        var allowed = Allowed(spec.Linux.Seccomp!).ToHashSet();
        Assert.Contains("mount", allowed);
        Assert.Contains("clone", allowed);
        Assert.Contains("settimeofday", allowed);
        Assert.DoesNotContain("reboot", allowed);
        Assert.DoesNotContain(spec.Linux.Seccomp!.Syscalls, s => s.Names.Contains("clone3") && s.Action == "SCMP_ACT_ERRNO");
    }

    [Fact]
    public void Capabilities_follow_Dockers_rules_for_ALL()
    {
        Assert.Equal(["CAP_CHOWN"], Capabilities.Resolve(["CAP_CHOWN"], [Capabilities.AllKeyword], privileged: false, Capabilities.Known));
        Assert.Equal(Capabilities.Known.Count - 1, Capabilities.Resolve([Capabilities.AllKeyword], ["CAP_SYS_ADMIN"], privileged: false, Capabilities.Known).Count);
        // ALL is what the host may give: this sandbox's bounding set lacks CAP_SYS_RESOURCE (bit 24).
        var host = Capabilities.OfMask(0x1fffeffffff);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", host);
        Assert.Equal(host, Capabilities.Resolve([], [Capabilities.AllKeyword], privileged: true, host));
        Assert.Equal(Capabilities.Known, Capabilities.OfMask(0x1ffffffffff));
        Assert.Equal("CAP_NET_ADMIN", Capabilities.Normalize("net_admin"));
        Assert.Equal(ErrorIds.InvalidCapability, Assert.Throws<ConmanException>(() => Capabilities.Normalize("NET_WIZARD")).ErrorId);
    }

    [Fact]
    public void Unconfined_and_Privileged_load_no_filter_and_Privileged_unmasks_everything()
    {
        Assert.Null(Spec(Definition(d => d.Security.SeccompUnconfined = true)).Linux.Seccomp);
        var privileged = Spec(Definition(d => d.Security.Privileged = true));
        Assert.Null(privileged.Linux.Seccomp);
        Assert.Equal(Capabilities.Host, privileged.Process.Capabilities!.Bounding);
        Assert.Empty(privileged.Linux.MaskedPaths);
        Assert.Empty(privileged.Linux.ReadonlyPaths);
        Assert.Equal(new OciDeviceRule(true, "rwm"), Assert.Single(privileged.Linux.Resources.Devices));
        Assert.Contains("rw", privileged.Mounts.Single(m => m.Destination == "/sys").Options);
    }

    [Fact]
    public void A_read_only_root_gets_tmpfs_on_its_scratch_folders_and_tmpfs_mounts_take_Dockers_options()
    {
        var spec = Spec(Definition(d =>
        {
            d.Storage.ReadOnly = true;
            d.Storage.Tmpfs.Add(new TmpfsMount { ContainerPath = "/run", Options = { "size=1m" } });
        }));
        var tmpfs = spec.Mounts.Where(m => m.Type == "tmpfs" && m.Destination is "/tmp" or "/var/tmp" or "/run").ToList();
        Assert.Equal(["/run", "/tmp", "/var/tmp"], tmpfs.Select(m => m.Destination).Order());
        Assert.Equal(["rw", "noexec", "nosuid", "nodev", "size=1m"], tmpfs.Single(m => m.Destination == "/run").Options);
        Assert.Equal(["rw", "noexec", "nosuid", "nodev", "exec", "tmpcopyup"], tmpfs.Single(m => m.Destination == "/tmp").Options);
        Assert.True(spec.Root.Readonly);
    }

    [Fact]
    public void A_profile_file_is_read_at_create_and_its_conditions_hold_for_the_containers_capabilities()
    {
        string profile = Path.Combine(_work, "profile.json");
        File.WriteAllText(profile, """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13, "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                          {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "includes": {"arches": ["s390x"]}}]}
            """);
        string rootFs = Directory.CreateDirectory(Path.Combine(_work, "rootfs")).FullName;
        var definition = ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Security = new() { SecurityOpt = [$"seccomp={profile}"] } }, null, () => []);
        File.Delete(profile);
        var seccomp = Spec(definition).Linux.Seccomp!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        var rule = Assert.Single(seccomp.Syscalls);
        Assert.Equal(["mkdir", "mkdirat"], rule.Names);
        Assert.Equal(("SCMP_ACT_ERRNO", (uint?)13), (rule.Action, rule.ErrnoRet));

        foreach (string bad in new[] { "seccomp=/no/such/profile.json", "apparmor=docker-default", "label=type:svirt_t", "seccomp=", "seccomp:unconfined",
                     "no-new-privileges=maybe", "bogus" })
        {
            var error = Assert.Throws<ConmanException>(() => ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Security = new() { SecurityOpt = [bad] } }, null, () => []));
            Assert.Equal(ErrorIds.InvalidSecurityOption, error.ErrorId);
        }
        File.WriteAllText(profile, """{"defaultAction": "SCMP_ACT_EXPLODE"}""");
        Assert.Equal(ErrorIds.InvalidSecurityOption, Assert.Throws<ConmanException>(() =>
            ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Security = new() { SecurityOpt = [$"seccomp={profile}"] } }, null, () => [])).ErrorId);
        foreach (string bad in new[] { "relative", "/", "/x:size=1m,exec=yes", "/x:bogus" })
        {
            Assert.Equal(ErrorIds.InvalidTmpfs, Assert.Throws<ConmanException>(() =>
                ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Storage = new() { Tmpfs = [bad] } }, null, () => [])).ErrorId);
        }
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() =>
            ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Storage = new() { Tmpfs = ["/x"], Volumes = [$"{rootFs}:/x/"] } }, null, () => [])).ErrorId);
    }

    [Fact]
    public void Privileged_gives_the_hosts_device_nodes_but_those_a_container_has_of_its_own()
    {
        string dev = Directory.CreateDirectory(Path.Combine(_work, "dev")).FullName;
        Directory.CreateDirectory(Path.Combine(dev, "net"));
        Assert.Equal(0, Conman.Native.LibC.mknod(Path.Combine(dev, "net", "tun"), Conman.Native.LibC.S_IFCHR | 0x1a4, Conman.Native.LibC.MakeDevice(10, 200)));
        Assert.Equal(0, Conman.Native.LibC.mknod(Path.Combine(dev, "loop9"), Conman.Native.LibC.S_IFBLK | 0x1a0, Conman.Native.LibC.MakeDevice(7, 9)));
        File.WriteAllText(Path.Combine(dev, "not-a-device"), "");
        var devices = HostDevices.List(dev).OrderBy(d => d.Path).ToList();
        Assert.Equal([new OciDevice(Path.Combine(dev, "loop9"), "b", 7, 9, 0x1a0, 0, 0), new OciDevice(Path.Combine(dev, "net", "tun"), "c", 10, 200, 0x1a4, 0, 0)], devices);
        var spec = ContainerSpec.Build([SpecOptions.WithDevices(devices)]);
        Assert.Equal(devices, spec.Linux.Devices);
        Assert.Null(Spec(Definition()).Linux.Devices);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void No_new_privileges_is_on_unless_the_security_options_turn_it_off()
    {
        string rootFs = Directory.CreateDirectory(Path.Combine(_work, "nnp")).FullName;
        ContainerDefinition Resolve(params string[] options) =>
            ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Security = new() { SecurityOpt = options } }, null, () => []);
        Assert.True(Spec(Resolve()).Process.NoNewPrivileges);
        Assert.True(Spec(Resolve("no-new-privileges")).Process.NoNewPrivileges);
        Assert.True(Spec(Resolve("no-new-privileges:true")).Process.NoNewPrivileges);
        Assert.False(Spec(Resolve("no-new-privileges=false")).Process.NoNewPrivileges);
        Assert.False(Spec(Resolve("no-new-privileges:false", "apparmor=unconfined", "label=disable")).Process.NoNewPrivileges);
        Assert.True(Resolve("no-new-privileges=false", "no-new-privileges").Security.AllowNewPrivileges is false, "the last one given wins");
    }
}
