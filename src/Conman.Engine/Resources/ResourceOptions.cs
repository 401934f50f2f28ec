namespace Conman.Engine.Resources;

/// <summary>
/// The limits New-Container (and Update-Container) asks for, as Docker's flags take them; null
/// leaves a limit out (at an update: as it was). Checked by the engine before anything is written.
/// </summary>
public sealed class ResourceOptions
{
    /// <summary>Bytes of memory (docker --memory); at least 6 MiB.</summary>
    public long? Memory { get; init; }
    /// <summary>Memory plus swap (docker --memory-swap); -1 for unlimited swap.</summary>
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
    internal bool IsEmpty => Memory is null && MemorySwap is null && Cpus is null && CpuShares is null && CpusetCpus is null
        && PidsLimit is null && Ulimits.Count == 0 && ShmSize is null;
}
