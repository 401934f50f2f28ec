using System.Management.Automation;
using Conman.Engine.Definitions;

namespace Conman.Cmdlets;

/// <summary>
/// The limits a running container's cgroup can change (docker run's and docker update's --memory,
/// --memory-swap, --cpus, --cpu-shares, --cpuset-cpus, --pids-limit), declared once: New-Container
/// and Invoke-Container take them for a new container, Update-Container for an existing one, each
/// as dynamic parameters of this object. Each one's rules are <see cref="ContainerLimits"/>'s.
/// </summary>
public sealed class LimitParameters
{
    /// <summary>Memory limit: 64MB, or a string such as '64m' or '1g'.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? Memory { get; set; }

    /// <summary>Memory plus swap (docker --memory-swap); -1 for unlimited swap. Defaults to twice -Memory.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? MemorySwap { get; set; }

    /// <summary>CPUs' worth of time, such as 0.5 or 1.5.</summary>
    [Parameter]
    public double? Cpus { get; set; }

    /// <summary>Relative CPU weight, 2 to 262144 (1024 is the default).</summary>
    [Parameter]
    public long? CpuShares { get; set; }

    /// <summary>CPUs the container may run on, such as '0' or '0-1,3'.</summary>
    [Parameter]
    public string? CpusetCpus { get; set; }

    /// <summary>Most tasks (processes and threads) at once; -1 for unlimited.</summary>
    [Parameter]
    public long? PidsLimit { get; set; }

    /// <param name="ulimits">The rlimits, set when a process starts: a new container's only.</param>
    /// <param name="shmSize">The size of /dev/shm, mounted at the start: a new container's only.</param>
    internal ContainerLimits ToLimits(IReadOnlyList<string>? ulimits = null, long? shmSize = null) => new()
    {
        Memory = Memory, MemorySwap = MemorySwap, Cpus = Cpus, CpuShares = CpuShares, CpusetCpus = CpusetCpus, PidsLimit = PidsLimit,
        Ulimits = ulimits ?? [], ShmSize = shmSize,
    };
}
