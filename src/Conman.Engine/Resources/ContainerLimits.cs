using System.Globalization;
using Conman.Protocol;

namespace Conman.Engine.Resources;

/// <summary>A container's limits as its definition keeps them (docker inspect's HostConfig.Memory, NanoCpus, ...); null: none.</summary>
public sealed record ContainerLimits(
    long? Memory,
    long? MemorySwap,
    double? Cpus,
    long? CpuShares,
    string? CpusetCpus,
    long? PidsLimit,
    IReadOnlyList<string> Ulimits,
    long? ShmSize)
{
    public static ContainerLimits None { get; } = new(null, null, null, null, null, null, [], null);

    internal static ContainerLimits From(ResourceLimits? limits) => limits is null ? None : new(
        limits.HasMemoryBytes ? limits.MemoryBytes : null,
        limits.HasMemorySwapBytes ? limits.MemorySwapBytes : null,
        limits.HasNanoCpus ? limits.NanoCpus / 1e9 : null,
        limits.HasCpuShares ? (long)limits.CpuShares : null,
        limits.CpusetCpus.Length > 0 ? limits.CpusetCpus : null,
        limits.HasPidsLimit ? limits.PidsLimit : null,
        limits.Ulimits.Select(u => $"{u.Name}={Value(u.Soft)}:{Value(u.Hard)}").ToArray(),
        limits.HasShmSizeBytes ? limits.ShmSizeBytes : null);

    private static string Value(ulong limit) => limit == ulong.MaxValue ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture);
}
