using System.Net;
using System.Text.RegularExpressions;
using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine.Networks;

/// <summary>What New-ContainerNetwork asks for; null subnet and gateway are chosen.</summary>
/// <param name="RemoveWithSession">Tied to the session that makes it: removed once that session has ended (<see cref="SessionService"/>).</param>
public sealed record NetworkOptions(string Name, string? Subnet = null, string? Gateway = null, bool Internal = false,
    IReadOnlyDictionary<string, string>? Labels = null, bool RemoveWithSession = false);

/// <summary>
/// The store's networks: records under networks/, the default network made on first use (as
/// podman's "podman" network), subnets chosen free on the whole host (<see cref="SubnetClaims"/>).
/// </summary>
internal sealed partial class NetworkStore(StoreLayout layout)
{
    public const string DefaultNetwork = "conman";
    /// <summary>New networks take the first free /24 of it: off podman's (10.88/16, 10.89/16) and Docker's (172.17/16) defaults.</summary>
    public static readonly string Pool = "10.90.0.0/16";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$")]
    private static partial Regex ValidName();

    public static void ValidateName(string name)
    {
        // The modes' names are never networks' (as Docker's "bridge", "none" and "host").
        if (!ValidName().IsMatch(name) || name is "bridge" or "none" or "host") throw ConmanErrors.InvalidNetworkName(name);
    }

    public IReadOnlyList<NetworkRecord> List()
    {
        if (!Directory.Exists(layout.NetworksFolder)) return [];
        return Directory.EnumerateFiles(layout.NetworksFolder, "*.pb").Select(Read).OfType<NetworkRecord>()
            .OrderBy(n => n.CreatedAt?.ToDateTime() ?? DateTime.MinValue).ToList();
    }

    public NetworkRecord? Find(string name)
    {
        if (!ValidName().IsMatch(name)) return null;
        return Read(layout.NetworkRecordPath(name));
    }

    public NetworkRecord Get(string name) => Find(name) ?? throw ConmanErrors.NetworkNotFound(name);

    /// <summary>A network a container is about to use: the default one is made again if it went.</summary>
    public NetworkRecord ForUse(string name) => name == DefaultNetwork ? Default() : Get(name);

    /// <summary>The network a container joins when it names none: made the first time it is needed.</summary>
    public NetworkRecord Default() => Find(DefaultNetwork) ?? CreateCore(new NetworkOptions(DefaultNetwork), namesResolve: false, existingIsFine: true);

    public NetworkRecord Create(NetworkOptions options)
    {
        ValidateName(options.Name);
        // Docker's user-defined networks resolve container names; its default bridge does not.
        return CreateCore(options, namesResolve: options.Name != DefaultNetwork, existingIsFine: false);
    }

    private NetworkRecord CreateCore(NetworkOptions options, bool namesResolve, bool existingIsFine)
    {
        Subnet? asked = options.Subnet is null ? null : Subnet.ParseForNetwork(options.Subnet);
        layout.EnsureNetworksCreated();
        using var _ = FileLock.Acquire(layout.NetworksLock, create: true);
        if (Find(options.Name) is { } existing)
        {
            if (existingIsFine) return existing;
            throw ConmanErrors.NetworkNameInUse(options.Name);
        }
        string recordPath = layout.NetworkRecordPath(options.Name);
        using var claims = SubnetClaims.Lock();
        var taken = TakenSubnets(recordPath);
        var subnet = asked ?? FreeSubnet(taken);
        if (asked is { } wanted && taken.FirstOrDefault(t => t.Subnet.Overlaps(wanted)) is { User: not null } clash)
        {
            throw ConmanErrors.SubnetInUse(wanted.Canonical(), clash.User);
        }
        string id = ContainerName.NewId();
        var record = new NetworkRecord
        {
            Id = id,
            Name = options.Name,
            Bridge = BridgeDevice.Prefix + id[..12],
            Subnet = subnet.Canonical(),
            Gateway = GatewayOf(subnet, options.Gateway),
            Internal = options.Internal,
            CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            NamesResolve = namesResolve,
        };
        foreach (var (key, value) in options.Labels ?? new Dictionary<string, string>()) record.Labels[key] = value;
        SubnetClaims.Claim(subnet, recordPath);
        AtomicFile.Write(recordPath, record);
        return record;
    }

    /// <summary>
    /// What a network needs before a container uses it: its subnet claimed again (after a reboot
    /// the claims are gone, and another store may have taken the subnet meanwhile: then this one
    /// cannot be used), and the host rules that keep it apart (<see cref="HostFirewall"/>).
    /// </summary>
    public void ReadyForUse(NetworkRecord network)
    {
        EnsureClaimed(network);
        HostFirewall.Ensure(network, layout.NetworkRecordPath(network.Name));
    }

    private void EnsureClaimed(NetworkRecord network)
    {
        string recordPath = layout.NetworkRecordPath(network.Name);
        var subnet = Subnet.Parse(network.Subnet);
        using var _ = SubnetClaims.Lock();
        if (SubnetClaims.Others(recordPath).FirstOrDefault(c => c.Subnet.Overlaps(subnet)) is { Owner: not null } clash)
        {
            throw ConmanErrors.SubnetInUse(subnet.Canonical(), $"a network of another store ({clash.Owner})");
        }
        SubnetClaims.Claim(subnet, recordPath);
    }

    /// <summary>Removes the network's record, its bridge and host rules, its address allocations and its subnet claim. The caller checked that no container uses it.</summary>
    public void Delete(NetworkRecord network)
    {
        using var _ = FileLock.Acquire(layout.NetworksLock, create: true);
        BridgeDevice.Delete(network.Bridge);
        HostFirewall.Forget(network.Bridge, network.Name);
        DeleteFolder(Path.Combine(layout.IpamFolder, network.Name));
        DeleteFolder(layout.MemberFolder(network.Name));
        string recordPath = layout.NetworkRecordPath(network.Name);
        File.Delete(recordPath);
        SubnetClaims.Release(Subnet.Parse(network.Subnet), recordPath);
    }

    /// <summary>
    /// Every subnet a new network must not overlap: this store's networks', other stores' claims,
    /// and the host's routes. A Conman bridge that no live network owns and that no container is
    /// plugged into (its store was deleted without Remove-ContainerNetwork) is deleted instead of
    /// counted, so that deleted stores do not use up the pool.
    /// </summary>
    private List<(Subnet Subnet, string? User)> TakenSubnets(string ownRecord)
    {
        var taken = new List<(Subnet, string?)>();
        var networks = List();
        var claims = SubnetClaims.Others(ownRecord);
        taken.AddRange(networks.Select(n => (Subnet.Parse(n.Subnet), (string?)$"the network '{n.Name}'")));
        taken.AddRange(claims.Select(c => (c.Subnet, (string?)$"a network of another store ({c.Owner})")));
        var owned = networks.Select(n => n.Bridge).Concat(claims.Select(c => Read(c.Owner)?.Bridge).OfType<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (subnet, device) in HostRoutes.Read())
        {
            if (BridgeDevice.IsOrphan(device, owned))
            {
                BridgeDevice.Delete(device);
                HostFirewall.Forget(device, network: device);
                continue;
            }
            taken.Add((subnet, $"the host's route on {device}"));
        }
        return taken;
    }

    private static Subnet FreeSubnet(List<(Subnet Subnet, string? User)> taken)
    {
        var pool = Subnet.Parse(Pool);
        for (uint offset = 0; offset < 1u << (24 - pool.PrefixLength); offset++)
        {
            var candidate = new Subnet(pool.Network + (offset << 8), 24);
            if (!taken.Any(t => t.Subnet.Overlaps(candidate))) return candidate;
        }
        throw ConmanErrors.NoFreeSubnet(Pool);
    }

    private static string GatewayOf(Subnet subnet, string? asked)
    {
        if (asked is null) return subnet.Address(1).ToString();
        if (!Subnet.IsDottedQuad(asked) || !IPAddress.TryParse(asked, out var gateway) || !subnet.Contains(gateway)
            || Subnet.ToUInt(gateway) == subnet.Network || Subnet.ToUInt(gateway) > Subnet.ToUInt(subnet.LastHost))
        {
            throw ConmanErrors.InvalidSubnet(asked, $"the gateway must be a host address of {subnet.Canonical()}");
        }
        return gateway.ToString();
    }

    private static NetworkRecord? Read(string path)
    {
        try
        {
            return NetworkRecord.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static void DeleteFolder(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
