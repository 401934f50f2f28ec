namespace Conman;

/// <summary>One sample of a running container's use, as Get-ContainerStatistic returns it (docker stats).</summary>
public sealed class ContainerStats
{
    internal ContainerStats(Engine.Resources.ContainerStats stats)
    {
        Id = stats.Id;
        Name = stats.Name;
        SampledAt = stats.SampledAt.LocalDateTime;
        CpuPercent = Math.Round(stats.CpuPercent, 2);
        CpuTime = stats.CpuTime;
        MemoryUsage = stats.MemoryUsage;
        MemoryLimit = stats.MemoryLimit;
        MemoryPercent = Math.Round(stats.MemoryPercent, 2);
        Pids = stats.Pids;
        PidsLimit = stats.PidsLimit;
        BlockRead = stats.BlockRead;
        BlockWrite = stats.BlockWrite;
        NetworkReceived = stats.NetworkReceived;
        NetworkSent = stats.NetworkSent;
    }

    public string Id { get; }
    public string ShortId => Id[..12];
    public string Name { get; }
    public DateTime SampledAt { get; }
    /// <summary>Percent of one CPU since the previous sample (the first: since the run started); above 100 on several CPUs.</summary>
    public double CpuPercent { get; }
    public TimeSpan CpuTime { get; }
    /// <summary>Bytes in use, less the page cache the kernel can drop at once.</summary>
    public long MemoryUsage { get; }
    /// <summary>Its memory limit, or the host's memory when it has none.</summary>
    public long MemoryLimit { get; }
    public double MemoryPercent { get; }
    public long Pids { get; }
    public long? PidsLimit { get; }
    public long BlockRead { get; }
    public long BlockWrite { get; }
    /// <summary>Bytes received and sent through its interfaces (lo aside) since the run started (docker stats' NET I/O).</summary>
    public long NetworkReceived { get; }
    public long NetworkSent { get; }

    public override string ToString() => Name;
}
