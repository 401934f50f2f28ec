using Conman.Engine;
using Conman.Engine.Resources;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>A container's limits checked with Docker's rules, against a made-up host: no root, no cgroup.</summary>
[Trait("Category", "Unit")]
public class ResourceDefinitionsTests
{
    private static readonly HostCapacity TwoCpus = new(new HashSet<int> { 0, 1 }, SwapLimit: true, HardLimit: _ => 20000);

    private static ResourceLimits Resolve(ContainerLimits options, HostCapacity? host = null) => ContainerLimits.Resolve(options, host ?? TwoCpus)!;

    private static ConmanException Refused(ContainerLimits options, HostCapacity? host = null) =>
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
        Assert.Equal(128L << 20, Resolve(new ContainerLimits { Memory = 64L << 20 }).MemorySwapBytes);
        Assert.False(Resolve(new ContainerLimits { Memory = 64L << 20 }, TwoCpus with { SwapLimit = false }).HasMemorySwapBytes);
        Assert.Equal(-1, Resolve(new ContainerLimits { Memory = 64L << 20, MemorySwap = -1 }).MemorySwapBytes);
    }

    [Fact]
    public void Every_limit_is_kept_as_given()
    {
        var limits = Resolve(new ContainerLimits
        {
            Memory = 64L << 20, MemorySwap = 64L << 20, Cpus = 0.5, CpuShares = 512, CpusetCpus = "1", PidsLimit = 32,
            Ulimits = ["nofile=100:200", "core=0"], ShmSize = 1L << 20,
        });
        Assert.Equal((64L << 20, 64L << 20, 500_000_000L, 512UL, "1", 32L, 1L << 20),
            (limits.MemoryBytes, limits.MemorySwapBytes, limits.NanoCpus, limits.CpuShares, limits.CpusetCpus, limits.PidsLimit, limits.ShmSizeBytes));
        Assert.Equal([("nofile", 100UL, 200UL), ("core", 0UL, 0UL)], limits.Ulimits.Select(u => (u.Name, u.Soft, u.Hard)));
        Assert.Equal(["nofile=100:200", "core=0:0"], ContainerLimits.From(limits).Ulimits);
    }

    public static TheoryData<string, ContainerLimits> BadLimits => new()
    {
        { "tiny memory", new ContainerLimits { Memory = 1024 } },
        { "swap below memory", new ContainerLimits { Memory = 64L << 20, MemorySwap = 32L << 20 } },
        { "swap without memory", new ContainerLimits { MemorySwap = 64L << 20 } },
        { "zero swap", new ContainerLimits { Memory = 64L << 20, MemorySwap = 0 } },
        { "no cpu", new ContainerLimits { Cpus = 0 } },
        { "more cpus than the host", new ContainerLimits { Cpus = 2.5 } },
        { "not a number of cpus", new ContainerLimits { Cpus = double.NaN } },
        { "shares too small", new ContainerLimits { CpuShares = 1 } },
        { "a cpu the host lacks", new ContainerLimits { CpusetCpus = "0-3" } },
        { "not a cpu list", new ContainerLimits { CpusetCpus = "one" } },
        { "a backwards range", new ContainerLimits { CpusetCpus = "1-0" } },
        { "zero pids", new ContainerLimits { PidsLimit = 0 } },
        { "an unknown ulimit", new ContainerLimits { Ulimits = ["files=1"] } },
        { "soft above hard", new ContainerLimits { Ulimits = ["nofile=200:100"] } },
        { "a ulimit without values", new ContainerLimits { Ulimits = ["nofile"] } },
        { "a ulimit twice", new ContainerLimits { Ulimits = ["nofile=1", "nofile=2"] } },
        { "above the host's hard limit", new ContainerLimits { Ulimits = ["nofile=1024:40000"] } },
        { "an empty shm", new ContainerLimits { ShmSize = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public void Bad_limits_are_refused_with_why(string why, ContainerLimits options)
    {
        var error = Refused(options);
        Assert.Equal(ErrorIds.InvalidResourceLimit, error.ErrorId);
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Fact]
    public void Swap_cannot_be_limited_where_the_kernel_does_not_account_it() =>
        Assert.Equal(ErrorIds.InvalidResourceLimit, Refused(new ContainerLimits { Memory = 64L << 20, MemorySwap = -1 }, TwoCpus with { SwapLimit = false }).ErrorId);

    [Fact]
    public void Root_with_CAP_SYS_RESOURCE_may_raise_hard_limits() =>
        Assert.Equal(40000UL, Resolve(new ContainerLimits { Ulimits = ["nofile=1024:40000"] }, TwoCpus with { HardLimit = null }).Ulimits[0].Hard);

    [Fact]
    public void An_update_changes_what_it_gives_and_keeps_the_rest()
    {
        var created = Resolve(new ContainerLimits { Memory = 64L << 20, Cpus = 1, PidsLimit = 10, Ulimits = ["core=0"] });
        var updated = ContainerLimits.Update(created, new ContainerLimits { Cpus = 0.5, PidsLimit = 20 }, TwoCpus);
        Assert.Equal((64L << 20, 128L << 20, 500_000_000L, 20L, 1), (updated.MemoryBytes, updated.MemorySwapBytes, updated.NanoCpus, updated.PidsLimit, updated.Ulimits.Count));
        Assert.Equal(1_000_000_000L, created.NanoCpus);
    }

    [Fact]
    public void An_update_above_the_swap_already_set_needs_swap_too()
    {
        var created = Resolve(new ContainerLimits { Memory = 64L << 20 });
        Assert.Equal(ErrorIds.InvalidResourceLimit,
            Assert.Throws<ConmanException>(() => ContainerLimits.Update(created, new ContainerLimits { Memory = 256L << 20 }, TwoCpus)).ErrorId);
        var raised = ContainerLimits.Update(created, new ContainerLimits { Memory = 256L << 20, MemorySwap = 512L << 20 }, TwoCpus);
        Assert.Equal((256L << 20, 512L << 20), (raised.MemoryBytes, raised.MemorySwapBytes));
        Assert.Equal(128L << 20, ContainerLimits.Update(null, new ContainerLimits { Memory = 64L << 20 }, TwoCpus).MemorySwapBytes);
    }

    [Fact]
    public void What_is_fixed_at_the_start_cannot_be_updated()
    {
        Assert.Throws<ConmanException>(() => ContainerLimits.Update(null, new ContainerLimits { Ulimits = ["core=0"] }, TwoCpus));
        Assert.Throws<ConmanException>(() => ContainerLimits.Update(null, new ContainerLimits { ShmSize = 1 << 20 }, TwoCpus));
    }
}
