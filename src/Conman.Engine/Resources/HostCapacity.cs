using Conman.Native;

namespace Conman.Engine.Resources;

/// <summary>
/// What the host offers that a container's limits are checked against at create: its CPUs, whether
/// the kernel accounts swap, and the rlimits a process without CAP_SYS_RESOURCE cannot raise.
/// Read once per check; tests make their own.
/// </summary>
/// <param name="OnlineCpus">The CPUs' numbers (/sys/devices/system/cpu/online).</param>
/// <param name="SwapLimit">The memory cgroup limits memory plus swap (v1 memory.memsw.*, v2 memory.swap.max).</param>
/// <param name="HardLimit">The engine's own hard limit of an rlimit, by its RLIMIT_ number; null where root may raise any.</param>
internal sealed record HostCapacity(IReadOnlySet<int> OnlineCpus, bool SwapLimit, Func<int, ulong>? HardLimit)
{
    private const int CapSysResource = 24;

    public static HostCapacity Current() =>
        new(ReadOnlineCpus(), CgroupLayout.Current.SupportsSwapLimit(), HasCapability(CapSysResource) ? null : OwnHardLimit);

    private static IReadOnlySet<int> ReadOnlineCpus()
    {
        try
        {
            return CpuList.Parse(File.ReadAllText("/sys/devices/system/cpu/online").Trim()) ?? Fallback();
        }
        catch (IOException)
        {
            return Fallback();
        }
        static IReadOnlySet<int> Fallback() => Enumerable.Range(0, Environment.ProcessorCount).ToHashSet();
    }

    /// <summary>Whether this process has the capability in its effective set (/proc/self/status CapEff).</summary>
    private static bool HasCapability(int capability)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
            ulong mask = Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
            return (mask & (1UL << capability)) != 0;
        }
        return false;
    }

    private static unsafe ulong OwnHardLimit(int resource)
    {
        LibC.RLimit limit;
        return LibC.getrlimit(resource, &limit) == 0 ? limit.Maximum : ulong.MaxValue;
    }
}
