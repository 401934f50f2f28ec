using System.Globalization;

namespace Conman.Engine.Resources;

/// <summary>One reading of a container's cgroup files: what it used so far and what it may use.</summary>
/// <param name="CpuUsage">CPU time of all its tasks since its cgroup was made.</param>
/// <param name="MemoryLimit">Null when it has none.</param>
/// <param name="PidsLimit">Null when it has none.</param>
internal readonly record struct CgroupSample(TimeSpan CpuUsage, long MemoryUsage, long? MemoryLimit, long Pids, long? PidsLimit,
    long BlockRead, long BlockWrite);

/// <summary>
/// Reads a container's cgroup files (v1 or v2, <see cref="CgroupLayout"/>) as docker stats and
/// docker top do: a few small reads per container, no process.
/// </summary>
internal sealed class CgroupReader(CgroupLayout layout)
{
    /// <summary>v1 writes this (LONG_MAX rounded down to a page) for "no limit".</summary>
    private const long V1Unlimited = 0x7FFFFFFFFFFFF000;

    public static CgroupReader Current { get; } = new(CgroupLayout.Current);

    /// <returns>Null when the cgroup is gone (the container exited meanwhile).</returns>
    public CgroupSample? Sample(string containerId)
    {
        try
        {
            return layout.Unified ? SampleUnified(containerId) : SampleV1(containerId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private CgroupSample SampleV1(string id)
    {
        string memory = layout.Folder(id, "memory");
        string pids = layout.Folder(id, "pids");
        var (read, write) = BlockIoV1(Path.Combine(layout.Folder(id, "blkio"), "blkio.throttle.io_service_bytes_recursive"));
        long limit = ReadNumber(Path.Combine(memory, "memory.limit_in_bytes"));
        return new CgroupSample(
            TimeSpan.FromTicks(ReadNumber(Path.Combine(layout.Folder(id, "cpuacct"), "cpuacct.usage")) / 100),
            WorkingSet(ReadNumber(Path.Combine(memory, "memory.usage_in_bytes")), Path.Combine(memory, "memory.stat"), "total_inactive_file"),
            limit >= V1Unlimited ? null : limit,
            ReadNumber(Path.Combine(pids, "pids.current")),
            ReadLimit(Path.Combine(pids, "pids.max")),
            read, write);
    }

    private CgroupSample SampleUnified(string id)
    {
        string folder = layout.Folder(id, "");
        long cpuMicroseconds = Field(File.ReadAllText(Path.Combine(folder, "cpu.stat")), "usage_usec") ?? 0;
        var (read, write) = BlockIoUnified(Path.Combine(folder, "io.stat"));
        return new CgroupSample(
            TimeSpan.FromTicks(cpuMicroseconds * 10),
            WorkingSet(ReadNumber(Path.Combine(folder, "memory.current")), Path.Combine(folder, "memory.stat"), "inactive_file"),
            ReadLimit(Path.Combine(folder, "memory.max")),
            ReadNumber(Path.Combine(folder, "pids.current")),
            ReadLimit(Path.Combine(folder, "pids.max")),
            read, write);
    }

    /// <summary>Whether the container is frozen (paused): v1 freezer.state FROZEN or FREEZING, v2 cgroup.freeze 1.</summary>
    public bool IsFrozen(string containerId)
    {
        try
        {
            return layout.Unified
                ? File.ReadAllText(Path.Combine(layout.Folder(containerId, ""), "cgroup.freeze")).Trim() == "1"
                : File.ReadAllText(Path.Combine(layout.Folder(containerId, "freezer"), "freezer.state")).Trim() is "FROZEN" or "FREEZING";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The host pids of every process of the container (cgroup.procs of its pids cgroup).</summary>
    public IReadOnlyList<int> Processes(string containerId)
    {
        string folder = layout.Folder(containerId, "pids");
        try
        {
            return File.ReadAllLines(Path.Combine(folder, "cgroup.procs"))
                .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : 0)
                .Where(pid => pid > 0).Order().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>As docker stats shows memory: usage less the page cache the kernel can drop at once.</summary>
    private static long WorkingSet(long usage, string statFile, string inactiveFileKey)
    {
        long inactive = Field(File.ReadAllText(statFile), inactiveFileKey) ?? 0;
        return Math.Max(0, usage - inactive);
    }

    private static long ReadNumber(string file) =>
        long.Parse(File.ReadAllText(file).AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A limit file: "max" (v2, and v1's pids.max) means none.</summary>
    private static long? ReadLimit(string file)
    {
        string text = File.ReadAllText(file).Trim();
        return text == "max" ? null : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The value of a "key value" line of a flat-keyed file (memory.stat, cpu.stat).</summary>
    private static long? Field(string text, string key)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > key.Length && line.StartsWith(key, StringComparison.Ordinal) && line[key.Length] == ' '
                && long.TryParse(line.AsSpan(key.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value)) return value;
        }
        return null;
    }

    /// <summary>v1 blkio: "MAJ:MIN Read N" / "MAJ:MIN Write N" lines per device, summed.</summary>
    internal static (long Read, long Write) BlockIoV1(string file)
    {
        long read = 0, write = 0;
        if (!File.Exists(file)) return (0, 0);
        foreach (string line in File.ReadLines(file))
        {
            string[] parts = line.Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)) continue;
            if (parts[1] == "Read") read += bytes;
            else if (parts[1] == "Write") write += bytes;
        }
        return (read, write);
    }

    /// <summary>v2 io.stat: "MAJ:MIN rbytes=N wbytes=N ..." per device, summed.</summary>
    internal static (long Read, long Write) BlockIoUnified(string file)
    {
        long read = 0, write = 0;
        if (!File.Exists(file)) return (0, 0);
        foreach (string line in File.ReadLines(file))
        {
            foreach (string field in line.Split(' '))
            {
                if (field.StartsWith("rbytes=", StringComparison.Ordinal) && long.TryParse(field.AsSpan(7), out long r)) read += r;
                else if (field.StartsWith("wbytes=", StringComparison.Ordinal) && long.TryParse(field.AsSpan(7), out long w)) write += w;
            }
        }
        return (read, write);
    }
}
