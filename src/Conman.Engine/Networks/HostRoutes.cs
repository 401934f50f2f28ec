using System.Globalization;

namespace Conman.Engine.Networks;

/// <summary>
/// The IPv4 subnets the host already routes (/proc/net/route), so that a new network never
/// takes one that a bridge, a VPN or the LAN uses, whoever made it (podman checks the same).
/// </summary>
internal static class HostRoutes
{
    public static IReadOnlyList<(Subnet Subnet, string Device)> Read()
    {
        var routes = new List<(Subnet, string)>();
        foreach (string line in File.ReadLines("/proc/net/route").Skip(1))
        {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...: addresses in host byte order (little-endian here).
            string[] fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 8) continue;
            uint destination = Swap(uint.Parse(fields[1], NumberStyles.HexNumber));
            uint mask = Swap(uint.Parse(fields[7], NumberStyles.HexNumber));
            if (mask == 0) continue; // the default route overlaps everything and is no subnet of anyone's
            routes.Add((new Subnet(destination & mask, 32 - System.Numerics.BitOperations.TrailingZeroCount(mask)), fields[0]));
        }
        return routes;
    }

    private static uint Swap(uint value) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
}
