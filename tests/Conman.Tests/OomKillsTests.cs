using Conman.Host.Supervision;

namespace Conman.Tests;

/// <summary>
/// How a run's OOM kills are read: the cgroups runc made for the container (its state.json),
/// which of them is the memory controller's, and the kernel's count there. Pure: the files' text.
/// </summary>
[Trait("Category", "Unit")]
public class OomKillsTests
{
    private const string Id = "4f1c";
    /// <summary>runc 1.1's state.json on this machine's hybrid v1 hierarchy (a controller per mount, and the unified one).</summary>
    private const string V1State = $$$"""
        {"id":"{{{Id}}}","init_process_pid":4242,"init_process_start":95123,"created":"2026-12-01T10:00:00.0Z","config":{"rootfs":"/x"},"rootless":false,"cgroup_paths":{"":"/sys/fs/cgroup/unified/conman/{{{Id}}}","blkio":"/sys/fs/cgroup/blkio/conman/{{{Id}}}","cpu":"/sys/fs/cgroup/cpu/conman/{{{Id}}}","cpuacct":"/sys/fs/cgroup/cpuacct/conman/{{{Id}}}","memory":"/sys/fs/cgroup/memory/conman/{{{Id}}}","name=systemd":"/sys/fs/cgroup/systemd/conman/{{{Id}}}","pids":"/sys/fs/cgroup/pids/conman/{{{Id}}}"},"namespace_paths":{"NEWNET":"/proc/4242/ns/net"},"external_descriptors":["/dev/null"]}
        """;

    [Fact]
    public void The_cgroups_are_read_from_runcs_state_as_it_writes_them()
    {
        Assert.Equal(
        [
            $"/sys/fs/cgroup/unified/conman/{Id}", $"/sys/fs/cgroup/blkio/conman/{Id}", $"/sys/fs/cgroup/cpu/conman/{Id}",
            $"/sys/fs/cgroup/cpuacct/conman/{Id}", $"/sys/fs/cgroup/memory/conman/{Id}", $"/sys/fs/cgroup/systemd/conman/{Id}",
            $"/sys/fs/cgroup/pids/conman/{Id}",
        ], RuncState.CgroupPaths(V1State));
        Assert.Equal([$"/sys/fs/cgroup/conman/{Id}"], RuncState.CgroupPaths($$$"""{"cgroup_paths":{"":"/sys/fs/cgroup/conman/{{{Id}}}"}}"""));
        Assert.Equal([], RuncState.CgroupPaths("""{"cgroup_paths":{}}"""));
    }

    /// <summary>
    /// Where cpu and cpuacct (or net_cls and net_prio) are mounted together, as on most cgroup v1
    /// hosts, runc's paths hold a comma (runc#663 shows one): they are still read, so that the
    /// shim finds the memory cgroup's OOM kills there and forgets the container without runc.
    /// </summary>
    [Fact]
    public void Controllers_mounted_together_keep_the_comma_in_their_path()
    {
        string state = $$$"""
            {"id":"{{{Id}}}","cgroup_paths":{"blkio":"/sys/fs/cgroup/blkio/conman/{{{Id}}}","cpu":"/sys/fs/cgroup/cpu,cpuacct/conman/{{{Id}}}","cpuacct":"/sys/fs/cgroup/cpu,cpuacct/conman/{{{Id}}}","memory":"/sys/fs/cgroup/memory/conman/{{{Id}}}","net_cls":"/sys/fs/cgroup/net_cls,net_prio/conman/{{{Id}}}","net_prio":"/sys/fs/cgroup/net_cls,net_prio/conman/{{{Id}}}"}}
            """;
        Assert.Equal(
        [
            $"/sys/fs/cgroup/blkio/conman/{Id}", $"/sys/fs/cgroup/cpu,cpuacct/conman/{Id}", $"/sys/fs/cgroup/cpu,cpuacct/conman/{Id}",
            $"/sys/fs/cgroup/memory/conman/{Id}", $"/sys/fs/cgroup/net_cls,net_prio/conman/{Id}", $"/sys/fs/cgroup/net_cls,net_prio/conman/{Id}",
        ], RuncState.CgroupPaths(state));
        Assert.Equal($"/sys/fs/cgroup/memory/conman/{Id}", OomKills.MemoryCgroup(RuncState.CgroupPaths(state)));
    }

    /// <summary>The paths are removed when the shim forgets the container: nothing but a cgroup of /sys/fs/cgroup may be named.</summary>
    [Theory]
    [InlineData("""{"id":"x"}""")]
    [InlineData("{\"cgroup_paths\":{\"memory\":\"/sys/fs/cgroup/memory/x\"")]
    [InlineData("""{"cgroup_paths":{"memory":"/var/lib/conman"}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"sys/fs/cgroup/memory/x"}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"/sys/fs/cgroup/memory/../../../etc"}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"/sys/fs/cgroup/memory/.."}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"/sys/fs/cgroup/memory/x","pids"}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"/sys/fs/cgroup/memory/a\"b"}}""")]
    [InlineData("""{"cgroup_paths":{"memory":"/sys/fs/cgroup/memory/a\u002fb"}}""")]
    [InlineData("""{"cgroup_paths":{"memory" : "/sys/fs/cgroup/memory/x"}}""")]
    public void A_state_not_as_runc_writes_it_names_no_cgroups(string state) => Assert.Null(RuncState.CgroupPaths(state));

    [Fact]
    public void The_memory_cgroup_is_the_memory_controllers_on_v1_and_the_one_cgroup_on_v2()
    {
        Assert.Equal($"/sys/fs/cgroup/memory/conman/{Id}", OomKills.MemoryCgroup(RuncState.CgroupPaths(V1State)));
        Assert.Equal("/sys/fs/cgroup/conman/x", OomKills.MemoryCgroup(["/sys/fs/cgroup/conman/x"]));
        Assert.Null(OomKills.MemoryCgroup(["/sys/fs/cgroup/pids/conman/x", "/sys/fs/cgroup/blkio/conman/x"]));
        Assert.Null(OomKills.MemoryCgroup(null));
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", 2)] // v1 memory.oom_control
    [InlineData("low 0\nhigh 0\nmax 14\noom 3\noom_kill 1\noom_group_kill 0\n", 1)] // v2 memory.events
    [InlineData("low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n", 0)]
    [InlineData("oom_kill_disable 1\nunder_oom 0\n", 0)] // a kernel before 4.13 counts none
    [InlineData("oom_group_kill 5\n", 0)]
    [InlineData("", 0)]
    public void The_count_is_the_oom_kill_line_and_nothing_else(string eventFile, long kills) => Assert.Equal(kills, OomKills.Count(eventFile));
}
