using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>A running container's place on its networks (docker inspect's NetworkSettings): empty when it does not run.</summary>
public sealed record ContainerNetworkSettings(IReadOnlyList<NetworkEndpoint> Endpoints, IReadOnlyList<PublishedPort> Ports)
{
    public static readonly ContainerNetworkSettings None = new([], []);

    internal static ContainerNetworkSettings From(NetworkState state) => new(
        state.Attachments.Select(a => new NetworkEndpoint(a.Network, a.Interface, a.Address.Split('/')[0],
            int.TryParse(a.Address.Split('/').ElementAtOrDefault(1), out int prefix) ? prefix : 0, a.Gateway, a.MacAddress, a.Aliases.ToArray())).ToArray(),
        state.Ports.Select(PublishedPort.From).ToArray());
}

/// <summary>The container on one network: its interface there and the address it got.</summary>
public sealed record NetworkEndpoint(string Network, string Interface, string IPAddress, int PrefixLength, string Gateway, string MacAddress,
    IReadOnlyList<string> Aliases);

/// <summary>A host port forwarded to the container's (docker port); HostPort 0 until a start chooses it.</summary>
public sealed record PublishedPort(string HostIP, int HostPort, int ContainerPort, string Protocol)
{
    internal static PublishedPort From(PortPublish port) =>
        new(port.HostIp.Length > 0 ? port.HostIp : "0.0.0.0", (int)port.HostPort, (int)port.ContainerPort, port.Protocol);

    /// <summary>
    /// Where a client on the host connects to it: "127.0.0.1:36321", loopback for a port published on
    /// every address (0.0.0.0, ::), an IPv6 address in brackets.
    /// </summary>
    public string Endpoint => HostIP switch
    {
        "0.0.0.0" or "" => $"127.0.0.1:{HostPort}",
        "::" => $"[::1]:{HostPort}",
        var ip when ip.Contains(':') => $"[{ip}]:{HostPort}",
        var ip => $"{ip}:{HostPort}",
    };

    /// <summary>As docker ps shows it: 0.0.0.0:8080->80/tcp.</summary>
    public override string ToString() => $"{HostIP}:{(HostPort == 0 ? "*" : HostPort.ToString())}->{ContainerPort}/{Protocol}";
}

/// <summary>A network of the store, as Get-ContainerNetwork shows it.</summary>
public sealed record NetworkSnapshot(string Id, string Name, string Driver, string Bridge, string Subnet, string Gateway, bool Internal,
    bool NamesResolve, IReadOnlyDictionary<string, string> Labels, DateTimeOffset CreatedAt, IReadOnlyList<string> Containers)
{
    internal static NetworkSnapshot From(NetworkRecord record, IReadOnlyList<string> containers) => new(record.Id, record.Name, "bridge",
        record.Bridge, record.Subnet, record.Gateway, record.Internal, record.NamesResolve, new Dictionary<string, string>(record.Labels),
        record.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, containers);
}
