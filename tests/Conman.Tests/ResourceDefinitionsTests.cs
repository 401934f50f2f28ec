using Conman.Engine;
using Conman.Engine.Resources;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>A container's limits checked with Docker's rules, against a made-up host: no root, no cgroup.</summary>
[Trait("Category", "Unit")]
public class ResourceDefinitionsTests
{
    private static readonly HostCapacity TwoCpus = new(new HashSet<int> { 0, 1 }, SwapLimit: true, HardLimit: _ => 20000);

    private static ResourceLimits Resolve(ResourceOptions options, HostCapacity? host = null) => ResourceDefinitions.Resolve(options, host ?? TwoCpus);

    private static ConmanException Refused(ResourceOptions options, HostCapacity? host = null) =>
        Assert.Throws<ConmanException>(() => Resolve(options, host));

    [Theory]
    [InlineData("64m", 64L << 20)]
    [InlineData("64MB", 64L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("512k", 512L << 10)]
    [InlineData("100b", 100L)]
    [InlineData("4096", 4096L)]
    public void Sizes_are_read_as_Dockers_flags_take_them(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "memory"));

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("64x")]
    [InlineData("-5m")]
    [InlineData("99999999999p")]
    public void What_is_not_a_size_is_refused(string text) =>
        Assert.Equal(ErrorIds.InvalidSize, Assert.Throws<ConmanException>(() => ByteSize.Parse(text, "memory")).ErrorId);

    [Fact]
    public void A_memory_limit_gets_as_much_swap_again_where_swap_is_accounted()
    {
        Assert.Equal(128L << 20, Resolve(new ResourceOptions { Memory = 64L << 20 }).MemorySwapBytes);
        Assert.False(Resolve(new ResourceOptions { Memory = 64L << 20 }, TwoCpus with { SwapLimit = false }).HasMemorySwapBytes);
        Assert.Equal(-1, Resolve(new ResourceOptions { Memory = 64L << 20, MemorySwap = -1 }).MemorySwapBytes);
    }

    [Fact]
    public void Every_limit_is_kept_as_given()
    {
        var limits = Resolve(new ResourceOptions
        {
            Memory = 64L << 20, MemorySwap = 64L << 20, Cpus = 0.5, CpuShares = 512, CpusetCpus = "1", PidsLimit = 32,
            Ulimits = ["nofile=100:200", "core=0"], ShmSize = 1L << 20,
        });
        Assert.Equal((64L << 20, 64L << 20, 500_000_000L, 512UL, "1", 32L, 1L << 20),
            (limits.MemoryBytes, limits.MemorySwapBytes, limits.NanoCpus, limits.CpuShares, limits.CpusetCpus, limits.PidsLimit, limits.ShmSizeBytes));
        Assert.Equal([("nofile", 100UL, 200UL), ("core", 0UL, 0UL)], limits.Ulimits.Select(u => (u.Name, u.Soft, u.Hard)));
        Assert.Equal(["nofile=100:200", "core=0:0"], ContainerLimits.From(limits).Ulimits);
    }

    public static TheoryData<string, ResourceOptions> BadLimits => new()
    {
        { "tiny memory", new ResourceOptions { Memory = 1024 } },
        { "swap below memory", new ResourceOptions { Memory = 64L << 20, MemorySwap = 32L << 20 } },
        { "swap without memory", new ResourceOptions { MemorySwap = 64L << 20 } },
        { "zero swap", new ResourceOptions { Memory = 64L << 20, MemorySwap = 0 } },
        { "no cpu", new ResourceOptions { Cpus = 0 } },
        { "more cpus than the host", new ResourceOptions { Cpus = 2.5 } },
        { "not a number of cpus", new ResourceOptions { Cpus = double.NaN } },
        { "shares too small", new ResourceOptions { CpuShares = 1 } },
        { "a cpu the host lacks", new ResourceOptions { CpusetCpus = "0-3" } },
        { "not a cpu list", new ResourceOptions { CpusetCpus = "one" } },
        { "a backwards range", new ResourceOptions { CpusetCpus = "1-0" } },
        { "zero pids", new ResourceOptions { PidsLimit = 0 } },
        { "an unknown ulimit", new ResourceOptions { Ulimits = ["files=1"] } },
        { "soft above hard", new ResourceOptions { Ulimits = ["nofile=200:100"] } },
        { "a ulimit without values", new ResourceOptions { Ulimits = ["nofile"] } },
        { "a ulimit twice", new ResourceOptions { Ulimits = ["nofile=1", "nofile=2"] } },
        { "above the host's hard limit", new ResourceOptions { Ulimits = ["nofile=1024:40000"] } },
        { "an empty shm", new ResourceOptions { ShmSize = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public void Bad_limits_are_refused_with_why(string why, ResourceOptions options)
    {
        var error = Refused(options);
        Assert.Equal(ErrorIds.InvalidResourceLimit, error.ErrorId);
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Fact]
    public void Swap_cannot_be_limited_where_the_kernel_does_not_account_it() =>
        Assert.Equal(ErrorIds.InvalidResourceLimit, Refused(new ResourceOptions { Memory = 64L << 20, MemorySwap = -1 }, TwoCpus with { SwapLimit = false }).ErrorId);

    [Fact]
    public void Root_with_CAP_SYS_RESOURCE_may_raise_hard_limits() =>
        Assert.Equal(40000UL, Resolve(new ResourceOptions { Ulimits = ["nofile=1024:40000"] }, TwoCpus with { HardLimit = null }).Ulimits[0].Hard);

    [Fact]
    public void An_update_changes_what_it_gives_and_keeps_the_rest()
    {
        var created = Resolve(new ResourceOptions { Memory = 64L << 20, Cpus = 1, PidsLimit = 10, Ulimits = ["core=0"] });
        var updated = ResourceDefinitions.Update(created, new ResourceOptions { Cpus = 0.5, PidsLimit = 20 }, TwoCpus);
        Assert.Equal((64L << 20, 128L << 20, 500_000_000L, 20L, 1), (updated.MemoryBytes, updated.MemorySwapBytes, updated.NanoCpus, updated.PidsLimit, updated.Ulimits.Count));
        Assert.Equal(1_000_000_000L, created.NanoCpus);
    }

    [Fact]
    public void An_update_above_the_swap_already_set_needs_swap_too()
    {
        var created = Resolve(new ResourceOptions { Memory = 64L << 20 });
        Assert.Equal(ErrorIds.InvalidResourceLimit,
            Assert.Throws<ConmanException>(() => ResourceDefinitions.Update(created, new ResourceOptions { Memory = 256L << 20 }, TwoCpus)).ErrorId);
        var raised = ResourceDefinitions.Update(created, new ResourceOptions { Memory = 256L << 20, MemorySwap = 512L << 20 }, TwoCpus);
        Assert.Equal((256L << 20, 512L << 20), (raised.MemoryBytes, raised.MemorySwapBytes));
        Assert.Equal(128L << 20, ResourceDefinitions.Update(null, new ResourceOptions { Memory = 64L << 20 }, TwoCpus).MemorySwapBytes);
    }

    [Fact]
    public void What_is_fixed_at_the_start_cannot_be_updated()
    {
        Assert.Throws<ConmanException>(() => ResourceDefinitions.Update(null, new ResourceOptions { Ulimits = ["core=0"] }, TwoCpus));
        Assert.Throws<ConmanException>(() => ResourceDefinitions.Update(null, new ResourceOptions { ShmSize = 1 << 20 }, TwoCpus));
    }
}
