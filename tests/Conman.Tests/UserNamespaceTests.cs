using Conman.Engine;
using Conman.Engine.Spec;
using Conman.Engine.UserNamespaces;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>-UserNs, -UidMap and -GidMap as podman reads them, the pool of subordinate ids, owners through the maps, and the spec's user namespace: no root, no runc.</summary>
[Trait("Category", "Unit")]
public class UserNamespaceTests
{
    private static IdMapping Map(uint container, uint host, uint size) => new() { ContainerId = container, HostId = host, Size = size };

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("host", null)]
    [InlineData("HOST", null)]
    [InlineData("auto", 65536u)]
    [InlineData("auto:size=1024", 1024u)]
    public void UserNs_modes_read_as_podmans(string? mode, uint? size) => Assert.Equal(size, UserNamespaceSpec.AutoSize(mode));

    [Theory]
    [InlineData("bogus")]
    [InlineData("auto:size=0")]
    [InlineData("auto:size=-1")]
    [InlineData("auto:size=4294967295")]
    [InlineData("auto:uidmapping=0:1:1")]
    [InlineData("keep-id")]
    public void Other_modes_are_refused(string mode) =>
        Assert.Equal(ErrorIds.InvalidUserNamespace, Assert.Throws<ConmanException>(() => UserNamespaceSpec.AutoSize(mode)).ErrorId);

    [Fact]
    public void A_map_is_container_host_size()
    {
        var mapping = UserNamespaceSpec.ParseMapping("0:100000:65536");
        Assert.Equal((0u, 100000u, 65536u), (mapping.ContainerId, mapping.HostId, mapping.Size));
        Assert.Equal("0:100000:65536", UserNamespaceSpec.Format([mapping]));
        Assert.Equal("0 100000 65536\n1000 5 1\n", UserNamespaceSpec.ProcMapText([mapping, Map(1000, 5, 1)]));
    }

    [Theory]
    [InlineData("0:100000")]
    [InlineData("0:100000:1:2")]
    [InlineData("0:-1:10")]
    [InlineData("a:b:c")]
    [InlineData("0:100000:0")]
    [InlineData("0:4294967290:10")]
    [InlineData("4294967295:0:1")]
    [InlineData(" 0:1:1")]
    public void Malformed_maps_are_refused(string text) =>
        Assert.Equal(ErrorIds.InvalidUserNamespace, Assert.Throws<ConmanException>(() => UserNamespaceSpec.ParseMapping(text)).ErrorId);

    [Fact]
    public void A_whole_map_maps_root_and_overlaps_nowhere()
    {
        UserNamespaceSpec.Validate([Map(0, 100000, 1000), Map(1000, 300000, 1000)], "uid");
        Assert.Throws<ConmanException>(() => UserNamespaceSpec.Validate([Map(1, 100000, 10)], "uid"));
        Assert.Throws<ConmanException>(() => UserNamespaceSpec.Validate([Map(0, 100000, 10), Map(5, 200000, 10)], "uid"));
        Assert.Throws<ConmanException>(() => UserNamespaceSpec.Validate([Map(0, 100000, 10), Map(20, 100009, 10)], "gid"));
    }

    [Fact]
    public void Host_ids_are_looked_up_in_the_ranges()
    {
        IdMapping[] map = [Map(0, 100000, 1000), Map(1000, 500000, 10)];
        Assert.Equal(100000u, UserNamespaceSpec.HostId(map, 0));
        Assert.Equal(100999u, UserNamespaceSpec.HostId(map, 999));
        Assert.Equal(500009u, UserNamespaceSpec.HostId(map, 1009));
        Assert.Null(UserNamespaceSpec.HostId(map, 1010));
    }

    [Fact]
    public void The_pool_is_the_containers_users_ranges_in_both_files()
    {
        var pool = SubordinateIds.Parse("alice:100000:65536\ncontainers:200000:131072\n", "containers:300000:131072\nalice:100000:65536\n");
        Assert.Equal([new IdRange(200000, 131072)], pool.Uids);
        Assert.Equal([new IdRange(300000, 131072)], pool.Gids);
        Assert.Equal([new IdRange(100000, 65536)], pool.OtherUids);
    }

    [Fact]
    public void Without_entries_the_pool_is_podmans_default_less_other_users_ranges()
    {
        var pool = SubordinateIds.Parse("alice:2147483647:65536\nbroken line\n", "");
        Assert.Equal([SubordinateIds.DefaultPool], pool.Uids);
        Assert.Equal([SubordinateIds.DefaultPool], pool.Gids);
        var first = SubordinateIds.FirstFree(pool.Uids, pool.OtherUids, 65536);
        Assert.Equal(new IdRange(2147483647u + 65536, 65536), first);
    }

    [Fact]
    public void Entries_in_one_file_only_are_refused() =>
        Assert.Equal(ErrorIds.InvalidUserNamespace, Assert.Throws<ConmanException>(() => SubordinateIds.Parse("containers:100000:65536", "")).ErrorId);

    [Fact]
    public void The_first_free_range_skips_every_taken_one_and_may_run_out()
    {
        IdRange[] pool = [new(100000, 65536 * 3)];
        Assert.Equal(new IdRange(100000, 65536), SubordinateIds.FirstFree(pool, [], 65536));
        Assert.Equal(new IdRange(100000 + 65536 + 10, 65536), SubordinateIds.FirstFree(pool, [new(100000, 65536), new(100000 + 65536, 10)], 65536));
        Assert.Equal(new IdRange(100010, 100), SubordinateIds.FirstFree(pool, [new(100000, 10)], 100));
        Assert.Null(SubordinateIds.FirstFree(pool, [new(100000 + 65536, 1)], 65536 * 2));
        Assert.Equal(new IdRange(500000, 10), SubordinateIds.FirstFree([new(100000, 5), new(500000, 10)], [], 10));
    }

    [Fact]
    public void Owners_go_through_the_maps_both_ways()
    {
        var owners = new OwnerMap([Map(0, 100000, 65536)], [Map(0, 200000, 65536)]);
        Assert.Equal((100000u, 200000u), owners.ToHost(0, 0));
        Assert.Equal((101000u, 201000u), owners.ToHost(1000, 1000));
        // An id the map leaves out is the container's root's, as docker cp gives copies to root.
        Assert.Equal((100000u, 200000u), owners.ToHost(70000, 70000));
        Assert.Equal((1000u, 1000u), owners.ToContainer(101000, 201000));
        // One outside the map (a whiteout the kernel made as root) is kept.
        Assert.Equal((0u, 0u), owners.ToContainer(0, 0));
        Assert.Equal((5u, 6u), OwnerMap.Host.ToHost(5, 6));
        Assert.Equal((5u, 6u), OwnerMap.Of(new ContainerDefinition().WithGroups()).ToContainer(5, 6));
    }

    [Fact]
    public void WithUserNamespace_joins_the_made_namespace_with_its_maps()
    {
        var spec = ContainerSpec.Build([SpecOptions.DockerDefaults("abc", (1024, 4096)), SpecOptions.WithNetworkNamespace("/run/netns/x"),
            SpecOptions.WithUserNamespace("/run/userns/x", [Map(0, 100000, 65536)], [Map(0, 200000, 65536)])]);
        Assert.Equal("/run/userns/x", spec.Linux.Namespaces.Single(n => n.Type == "user").Path);
        Assert.Equal(new OciIdMapping(0, 100000, 65536), Assert.Single(spec.Linux.UidMappings!));
        Assert.Equal(new OciIdMapping(0, 200000, 65536), Assert.Single(spec.Linux.GidMappings!));
        // Its own network namespace belongs to the user namespace: sysfs mounts.
        Assert.Equal("sysfs", spec.Mounts.Single(m => m.Destination == "/sys").Type);
        string json = System.Text.Encoding.UTF8.GetString(spec.ToJson());
        Assert.Contains("\"uidMappings\"", json);
        Assert.Contains("\"containerID\": 0", json);
        Assert.Contains("\"hostID\": 100000", json);
    }

    [Fact]
    public void On_the_hosts_network_sys_is_the_hosts_bound_read_only()
    {
        var spec = ContainerSpec.Build([SpecOptions.DockerDefaults("abc", (1024, 4096)), SpecOptions.WithHostNetwork(), SpecOptions.WithPrivileged(),
            SpecOptions.WithUserNamespace("/run/userns/x", [Map(0, 100000, 65536)], [Map(0, 100000, 65536)])]);
        var sys = spec.Mounts.Single(m => m.Destination == "/sys");
        Assert.Equal(("bind", "/sys"), (sys.Type, sys.Source));
        Assert.Contains("rro", sys.Options);
        Assert.DoesNotContain("rw", sys.Options);
    }

    [Fact]
    public void The_new_teardown_steps_are_read_back()
    {
        var plan = new TeardownPlan();
        plan.Steps.Add(new TeardownStep { RemoveFolder = "/run/conman/userns/x" });
        plan.Steps.Add(new TeardownStep { NamespaceFile = "/run/conman/abc/userns/x" });
        var actions = TeardownSteps.Parse(Google.Protobuf.MessageExtensions.ToByteArray(plan));
        Assert.Equal([new TeardownAction.RemoveFolder("/run/conman/userns/x"), new TeardownAction.NamespaceFile("/run/conman/abc/userns/x")], actions);
    }
}
