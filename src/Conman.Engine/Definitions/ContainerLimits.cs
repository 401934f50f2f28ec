using Conman.Engine.Spec;
using System.Globalization;
using Conman.Engine.Resources;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// What the container may use (docker --memory, --memory-swap, --cpus, --cpu-shares,
/// --cpuset-cpus, --pids-limit, --ulimit, --shm-size; docker update's): what New-Container and
/// Update-Container ask for (null: not given; at an update, as it was), checked with Docker's rules
/// against the host with Docker's defaults applied, and what the container shows (null: no limit).
/// </summary>
public sealed record ContainerLimits
{
    public static ContainerLimits None { get; } = new();

    /// <summary>Bytes of memory (docker --memory); at least 6 MiB.</summary>
    public long? Memory { get; init; }
    /// <summary>Memory plus swap (docker --memory-swap); -1 for unlimited swap. Defaults to twice the memory where swap is accounted.</summary>
    public long? MemorySwap { get; init; }
    /// <summary>CPUs' worth of time (docker --cpus 0.5), from 0.01 to the host's count.</summary>
    public double? Cpus { get; init; }
    /// <summary>Relative CPU weight (docker --cpu-shares), 2 to 262144.</summary>
    public long? CpuShares { get; init; }
    /// <summary>CPUs it may run on (docker --cpuset-cpus "0-1,3").</summary>
    public string? CpusetCpus { get; init; }
    /// <summary>Most tasks at once (docker --pids-limit); -1 for unlimited.</summary>
    public long? PidsLimit { get; init; }
    /// <summary>"name=soft[:hard]" (docker --ulimit nofile=1024:2048); "unlimited" for either value.</summary>
    public IReadOnlyList<string> Ulimits { get; init; } = [];
    /// <summary>Bytes of /dev/shm (docker --shm-size).</summary>
    public long? ShmSize { get; init; }

    /// <summary>Nothing asked for.</summary>
    internal bool IsEmpty => this == None || (Memory is null && MemorySwap is null && Cpus is null && CpuShares is null && CpusetCpus is null
        && PidsLimit is null && Ulimits.Count == 0 && ShmSize is null);

    /// <returns>Null when nothing is asked for: the definition keeps no limits.</returns>
    internal static ResourceLimits? Resolve(ContainerLimits asked, HostCapacity host)
    {
        if (asked.IsEmpty) return null;
        var limits = new ResourceLimits();
        Apply(limits, asked, host);
        foreach (string ulimit in asked.Ulimits) ResourceDefinitions.AddUlimit(limits, ResourceDefinitions.ParseUlimit(ulimit, host));
        if (asked.ShmSize is { } shm) limits.ShmSizeBytes = shm > 0 ? shm : throw ResourceDefinitions.Invalid("ShmSize", shm, "it must be more than 0");
        // Docker's default: as much swap as memory, where the kernel can limit it.
        if (limits.HasMemoryBytes && !limits.HasMemorySwapBytes && host.SwapLimit) limits.MemorySwapBytes = 2 * limits.MemoryBytes;
        ResourceDefinitions.CheckSwap(limits);
        return limits;
    }

    /// <summary>
    /// The limits after an update (docker update): what it gives replaces what was kept, the rest
    /// stays. Only what a running container's cgroup can change: memory, swap, CPUs, pids.
    /// </summary>
    internal static ResourceLimits Update(ResourceLimits? current, ContainerLimits update, HostCapacity host)
    {
        if (update.Ulimits.Count > 0) throw ResourceDefinitions.Invalid("Ulimit", string.Join(", ", update.Ulimits), "rlimits are set when a process starts and cannot be updated");
        if (update.ShmSize is { } shm) throw ResourceDefinitions.Invalid("ShmSize", shm, "/dev/shm is mounted at the start and cannot be updated");
        var limits = current?.Clone() ?? new ResourceLimits();
        bool hadSwap = limits.HasMemorySwapBytes;
        Apply(limits, update, host);
        // A first memory limit gets Docker's default swap, as at create; a raised one must stay
        // within the swap already set, unless the update gives swap too (docker update's rule).
        if (update.Memory is not null && !hadSwap && !limits.HasMemorySwapBytes && host.SwapLimit) limits.MemorySwapBytes = 2 * limits.MemoryBytes;
        ResourceDefinitions.CheckSwap(limits);
        return limits;
    }

    internal static ContainerLimits From(ResourceLimits? limits) => limits is null ? None : new()
    {
        Memory = limits.HasMemoryBytes ? limits.MemoryBytes : null,
        MemorySwap = limits.HasMemorySwapBytes ? limits.MemorySwapBytes : null,
        Cpus = limits.HasNanoCpus ? limits.NanoCpus / 1e9 : null,
        CpuShares = limits.HasCpuShares ? (long)limits.CpuShares : null,
        CpusetCpus = limits.CpusetCpus.Length > 0 ? limits.CpusetCpus : null,
        PidsLimit = limits.HasPidsLimit ? limits.PidsLimit : null,
        Ulimits = [.. limits.Ulimits.Select(u => $"{u.Name}={ResourceDefinitions.Describe(u.Soft)}:{ResourceDefinitions.Describe(u.Hard)}")],
        ShmSize = limits.HasShmSizeBytes ? limits.ShmSizeBytes : null,
    };

    /// <summary>The limits a cgroup can take at any time, each checked on its own.</summary>
    private static void Apply(ResourceLimits limits, ContainerLimits asked, HostCapacity host)
    {
        if (asked.Memory is { } memory)
        {
            limits.MemoryBytes = memory >= ResourceDefinitions.MinimumMemory ? memory
                : throw ResourceDefinitions.Invalid("Memory", memory, "the least a container may have is 6 MiB (6291456 bytes)");
        }
        if (asked.MemorySwap is { } swap)
        {
            if (!host.SwapLimit) throw ResourceDefinitions.Invalid("MemorySwap", swap, "this kernel does not account swap (no memory.memsw / memory.swap.max), so it cannot be limited");
            limits.MemorySwapBytes = swap == -1 || swap > 0 ? swap : throw ResourceDefinitions.Invalid("MemorySwap", swap, "give memory plus swap in bytes, or -1 for unlimited swap");
        }
        if (asked.Cpus is { } cpus) limits.NanoCpus = ResourceDefinitions.NanoCpus(cpus, host);
        if (asked.CpuShares is { } shares)
        {
            limits.CpuShares = shares is >= ResourceDefinitions.MinimumCpuShares and <= ResourceDefinitions.MaximumCpuShares
                ? (ulong)shares
                : throw ResourceDefinitions.Invalid("CpuShares", shares,
                    $"give a weight from {ResourceDefinitions.MinimumCpuShares} to {ResourceDefinitions.MaximumCpuShares} (1024 is a CPU's default)");
        }
        if (asked.CpusetCpus is { } cpuset) limits.CpusetCpus = ResourceDefinitions.Cpuset(cpuset, host);
        if (asked.PidsLimit is { } pids)
        {
            limits.PidsLimit = pids == -1 || pids > 0 ? pids : throw ResourceDefinitions.Invalid("PidsLimit", pids, "give the most tasks at once, or -1 for unlimited");
        }
    }

    /// <summary>The options of a container's limits: only those its definition has (cgroup settings, rlimits, /dev/shm).</summary>
    internal static IEnumerable<SpecOption> SpecOptions(ResourceLimits? limits)
    {
        if (limits is null) yield break;
        if (limits.HasMemoryBytes) yield return Spec.SpecOptions.WithMemoryLimit(limits.MemoryBytes, limits.HasMemorySwapBytes ? limits.MemorySwapBytes : null);
        if (limits.HasNanoCpus) yield return Spec.SpecOptions.WithCpuLimit(limits.NanoCpus);
        if (limits.HasCpuShares) yield return Spec.SpecOptions.WithCpuShares(limits.CpuShares);
        if (limits.CpusetCpus.Length > 0) yield return Spec.SpecOptions.WithCpuset(limits.CpusetCpus);
        if (limits.HasPidsLimit) yield return Spec.SpecOptions.WithPidsLimit(limits.PidsLimit);
        if (limits.Ulimits.Count > 0) yield return Spec.SpecOptions.WithUlimits(limits.Ulimits);
        if (limits.HasShmSizeBytes) yield return Spec.SpecOptions.WithShmSize(limits.ShmSizeBytes);
    }
}
