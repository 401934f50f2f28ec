using System.Net;
using System.Net.Sockets;

namespace Conman.Engine.Networks;

/// <summary>An IPv4 subnet (CIDR), as a network's and as the host's routes.</summary>
internal readonly record struct Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public static Subnet Parse(string value)
    {
        string[] parts = value.Split('/');
        if (parts.Length != 2 || !IsDottedQuad(parts[0]) || !IPAddress.TryParse(parts[0], out var address)
            || !int.TryParse(parts[1], out int prefix) || prefix is < 8 or > 30)
        {
            throw ConmanErrors.InvalidSubnet(value, "write an IPv4 subnet as a.b.c.d/n, n from 8 to 30");
        }
        var subnet = new Subnet(ToUInt(address), prefix);
        if ((subnet.Network & ~subnet.Mask) != 0) throw ConmanErrors.InvalidSubnet(value, $"its network address is {subnet.Canonical()}");
        return subnet;
    }

    /// <summary>The subnet <paramref name="value"/> names, or false when <see cref="Parse"/> would refuse it.</summary>
    public static bool TryParse(string value, out Subnet subnet)
    {
        try
        {
            subnet = Parse(value);
            return true;
        }
        catch (ConmanException)
        {
            subnet = default;
            return false;
        }
    }

    /// <summary>
    /// The ranges no bridge network can use (RFC 6890): its gateway would be a martian or the host's
    /// own loopback, and no container address routes there. A /31 and a /32 leave no host address
    /// for a container and are refused by <see cref="Parse"/>.
    /// </summary>
    private static readonly (Subnet Range, string Why)[] Special =
    [
        (new(0x00000000, 8), "\"this network\" (RFC 1122), never routed"),
        (new(0x7F000000, 8), "the host's loopback"),
        (new(0xA9FE0000, 16), "link-local addresses, never routed"),
        (new(0xE0000000, 4), "multicast"),
        (new(0xF0000000, 4), "reserved addresses and the broadcast address"),
    ];

    /// <summary>A subnet a new network may have: <see cref="Parse"/>'s, outside the special ranges.</summary>
    public static Subnet ParseForNetwork(string value)
    {
        var subnet = Parse(value);
        foreach (var (range, why) in Special)
        {
            if (range.Overlaps(subnet)) throw ConmanErrors.InvalidSubnet(value, $"it overlaps {range.Canonical()}, {why}");
        }
        return subnet;
    }

    /// <summary>An IPv4 address written whole, a.b.c.d: IPAddress.Parse also takes "1.2.3" (as 1.2.0.3) and "10".</summary>
    public static bool IsDottedQuad(string value) =>
        value.Split('.') is { Length: 4 } parts && parts.All(p => byte.TryParse(p, System.Globalization.NumberStyles.None, null, out _));

    public bool Overlaps(Subnet other)
    {
        uint mask = PrefixLength < other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public bool Contains(IPAddress address) => (ToUInt(address) & Mask) == Network;

    /// <summary>The n-th address of the subnet (1: the first host, the gateway by default).</summary>
    public IPAddress Address(uint offset) => FromUInt(Network + offset);

    /// <summary>The highest usable host address (below the broadcast address).</summary>
    public IPAddress LastHost => FromUInt((Network | ~Mask) - 1);

    public string Canonical() => $"{FromUInt(Network)}/{PrefixLength}";

    public override string ToString() => Canonical();

    public static uint ToUInt(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    public static IPAddress FromUInt(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
