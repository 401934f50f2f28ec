using Conman.Engine.Containers;

namespace Conman.Engine.Resources;

/// <summary>
/// Samples running containers' cgroup files, keeping each one's previous CPU time so that the
/// next sample's CPU % covers the time between the two (docker stats). A container's first sample
/// covers its run so far, as podman's first does, so one sample needs no wait.
/// </summary>
public sealed class ContainerStatsSampler
{
    private readonly CgroupReader _reader;
    private readonly long _hostMemory;
    private readonly Dictionary<string, (TimeSpan Cpu, DateTimeOffset At)> _previous = new(StringComparer.Ordinal);

    internal ContainerStatsSampler(CgroupReader reader, long hostMemory)
    {
        _reader = reader;
        _hostMemory = hostMemory;
    }

    /// <summary>One sample of each running container given; containers that are not running (or stop meanwhile) are left out.</summary>
    public IReadOnlyList<ContainerStats> Sample(IEnumerable<ContainerSnapshot> containers)
    {
        var samples = new List<ContainerStats>();
        foreach (var container in containers)
        {
            if (container.State != ContainerState.Running || _reader.Sample(container.Id) is not { } sample) continue;
            var now = DateTimeOffset.UtcNow;
            var (since, cpuBefore) = _previous.TryGetValue(container.Id, out var previous)
                ? (previous.At, previous.Cpu)
                : (container.StartedAt ?? now, TimeSpan.Zero);
            _previous[container.Id] = (sample.CpuUsage, now);
            double wall = (now - since).TotalSeconds;
            double cpuPercent = wall > 0 ? Math.Max(0, (sample.CpuUsage - cpuBefore).TotalSeconds / wall * 100) : 0;
            var (received, sent) = container.Pid is int pid && container.Config.Network.Mode != Definitions.ContainerNetworkMode.Host ? Networks.NetworkCounters.Read(pid) : (0, 0);
            samples.Add(new ContainerStats(container.Id, container.Name, now, cpuPercent, sample.CpuUsage, sample.MemoryUsage,
                sample.MemoryLimit is { } limit && limit < _hostMemory ? limit : _hostMemory, sample.Pids, sample.PidsLimit,
                sample.BlockRead, sample.BlockWrite) { NetworkReceived = received, NetworkSent = sent });
        }
        return samples;
    }

    /// <summary>MemTotal of /proc/meminfo, in bytes: docker stats' limit for a container without one.</summary>
    internal static long HostMemory()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            string kib = line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim();
            return long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return long.MaxValue;
    }
}
