using System.Globalization;
using Conman.Protocol;

namespace Conman.Engine.Resources;

/// <summary>
/// Docker's rules for limits, as <see cref="Definitions.ContainerLimits"/> resolves and updates
/// them: the floors and ceilings, rlimits by name, CPUs this host has, swap beside memory.
/// </summary>
internal static class ResourceDefinitions
{
    /// <summary>Docker's floor ("Minimum memory limit allowed is 6MB"): below it a container cannot even start.</summary>
    public const long MinimumMemory = 6L * 1024 * 1024;
    public const long MinimumCpuShares = 2, MaximumCpuShares = 262144;
    /// <summary>The CFS period Docker's --cpus uses: the quota is that share of 100 ms.</summary>
    public const long CpuPeriodMicroseconds = 100_000;
    private const long NanoCpusPerCpu = 1_000_000_000;

    /// <summary>Docker's ulimit names and their Linux RLIMIT_ numbers (x86_64 and arm64 alike).</summary>
    public static readonly IReadOnlyDictionary<string, int> UlimitResources = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["cpu"] = 0, ["fsize"] = 1, ["data"] = 2, ["stack"] = 3, ["core"] = 4, ["rss"] = 5, ["nproc"] = 6, ["nofile"] = 7,
        ["memlock"] = 8, ["as"] = 9, ["locks"] = 10, ["sigpending"] = 11, ["msgqueue"] = 12, ["nice"] = 13, ["rtprio"] = 14,
        ["rttime"] = 15,
    };

    /// <summary>docker --cpus as the quota's billionths of a CPU, from 0.01 to the host's count.</summary>
    public static long NanoCpus(double cpus, HostCapacity host)
    {
        int count = host.OnlineCpus.Count;
        long nano = double.IsFinite(cpus) ? (long)Math.Round(cpus * NanoCpusPerCpu) : -1;
        if (nano < NanoCpusPerCpu / 100 || nano > count * NanoCpusPerCpu) throw Invalid("Cpus", cpus, $"give from 0.01 to {count}, as this host has {count} CPU(s)");
        return nano;
    }

    /// <summary>docker --cpuset-cpus: CPUs this host has, as cpuset.cpus lists them.</summary>
    public static string Cpuset(string cpuset, HostCapacity host)
    {
        var set = CpuList.Parse(cpuset.Trim()) ?? throw Invalid("CpusetCpus", cpuset, "give CPU numbers and ranges such as 0-2,4");
        var missing = set.Where(cpu => !host.OnlineCpus.Contains(cpu)).Order().ToList();
        if (missing.Count > 0) throw Invalid("CpusetCpus", cpuset, $"this host has no CPU {string.Join(", ", missing)} (it has {Describe(host.OnlineCpus)})");
        return cpuset.Trim();
    }

    public static void CheckSwap(ResourceLimits limits)
    {
        if (!limits.HasMemorySwapBytes || limits.MemorySwapBytes == -1) return;
        if (!limits.HasMemoryBytes) throw Invalid("MemorySwap", limits.MemorySwapBytes, "it limits memory plus swap, so it needs a memory limit too");
        if (limits.MemorySwapBytes < limits.MemoryBytes)
        {
            throw Invalid("MemorySwap", limits.MemorySwapBytes,
                $"memory plus swap may not be less than the memory limit ({limits.MemoryBytes} bytes); give a memory-plus-swap limit too, or -1 for unlimited swap");
        }
    }

    public static void AddUlimit(ResourceLimits limits, Ulimit ulimit)
    {
        if (limits.Ulimits.Any(u => u.Name == ulimit.Name)) throw Invalid("Ulimit", ulimit.Name, "it is given twice");
        limits.Ulimits.Add(ulimit);
    }

    /// <summary>"name=soft[:hard]", as docker --ulimit; the hard limit defaults to the soft one.</summary>
    public static Ulimit ParseUlimit(string text, HostCapacity host)
    {
        int equals = text.IndexOf('=');
        string name = equals < 0 ? text : text[..equals];
        if (!UlimitResources.TryGetValue(name, out int resource))
        {
            throw Invalid("Ulimit", text, $"use name=soft[:hard] with one of {string.Join(", ", UlimitResources.Keys)}");
        }
        string[] values = equals < 0 ? [] : text[(equals + 1)..].Split(':');
        if (values.Length is < 1 or > 2 || !TryParseLimit(values[0], out ulong soft) || !TryParseLimit(values[^1], out ulong hard))
        {
            throw Invalid("Ulimit", text, "use name=soft[:hard], each a number or 'unlimited'");
        }
        if (soft > hard) throw Invalid("Ulimit", text, "the soft limit may not be above the hard one");
        // Without CAP_SYS_RESOURCE runc's setrlimit fails the start ("operation not permitted"): say so now.
        if (host.HardLimit?.Invoke(resource) is { } hostHard && hard > hostHard)
        {
            throw Invalid("Ulimit", text, $"the hard limit may not be above this host's ({Describe(hostHard)}) without CAP_SYS_RESOURCE");
        }
        return new Ulimit { Name = name, Soft = soft, Hard = hard };
    }

    private static bool TryParseLimit(string text, out ulong value)
    {
        if (text is "unlimited" or "-1")
        {
            value = ulong.MaxValue;
            return true;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static string Describe(ulong limit) => limit == ulong.MaxValue ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlySet<int> cpus) => cpus.Count == 0 ? "none" : string.Join(",", cpus.Order());

    public static ConmanException Invalid(string limit, object value, string why) =>
        ConmanErrors.InvalidResourceLimit(limit, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", why);
}
