namespace Conman.Engine.Resources;

/// <summary>
/// One sample of a running container's use, as docker stats shows it, read from its cgroup files.
/// </summary>
/// <param name="CpuPercent">CPU time over wall time since the previous sample (its first: since the run started), in percent of one CPU.</param>
/// <param name="CpuTime">CPU time its tasks used since the run started.</param>
/// <param name="MemoryUsage">Bytes in use, less the page cache the kernel can drop at once (docker's figure).</param>
/// <param name="MemoryLimit">Its memory limit, or the host's memory when it has none.</param>
/// <param name="PidsLimit">Null when it has none.</param>
public sealed record ContainerStats(
    string Id,
    string Name,
    DateTimeOffset SampledAt,
    double CpuPercent,
    TimeSpan CpuTime,
    long MemoryUsage,
    long MemoryLimit,
    long Pids,
    long? PidsLimit,
    long BlockRead,
    long BlockWrite)
{
    public double MemoryPercent => MemoryLimit > 0 ? 100.0 * MemoryUsage / MemoryLimit : 0;

    /// <summary>Bytes its interfaces (lo aside) received and sent since the run started; 0 on the host's network, whose traffic is not its own.</summary>
    public long NetworkReceived { get; init; }
    public long NetworkSent { get; init; }
}
