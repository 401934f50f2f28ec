using Conman.Engine.Spec;
using Conman.Engine.Containers;
using Conman.Engine.Networks;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// What the container's network namespace is and what it is on (docker --network,
/// --network-alias, -p, -P): what New-Container asks for and, checked (docs/networking.md), what
/// the container shows.
/// </summary>
public sealed record NetworkConfig
{
    /// <summary>-Network's modes; any other value names a network.</summary>
    public const string BridgeMode = "bridge", NoneMode = "none", HostMode = "host", ContainerModePrefix = "container:";

    /// <summary>
    /// "bridge" (the default network, as when empty), "none", "host", "container:&lt;name&gt;", or
    /// networks by name. Shown: the networks joined at each start, or the mode ("container:&lt;id&gt;").
    /// </summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
    /// <summary>More names for the container on the user-made networks it joins (docker --network-alias).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Ports to publish, as docker -p: [hostIp:][hostPort:]containerPort[/tcp|udp]; shown one port each, "8080:80/tcp".</summary>
    public IReadOnlyList<string> Publish { get; init; } = [];
    /// <summary>Asked only: publish every port the image exposes, each on a free host port (docker -P); shown among <see cref="Publish"/>.</summary>
    public bool PublishAll { get; init; }
    /// <summary>
    /// More lines of its /etc/hosts, as docker --add-host: "name:address", the address an IP or
    /// "host-gateway", the host's address on the container's first network (a service a test runs on the host).
    /// </summary>
    public IReadOnlyList<string> AddHost { get; init; } = [];

    /// <summary>The ports <see cref="Publish"/> names, each on its own (a host port of 0 is chosen at each start).</summary>
    public IReadOnlyList<PublishedPort> Ports => [.. Publish.SelectMany(PortSpecs.Parse).Select(PublishedPort.From)];

    /// <summary>bridge, none, host or container.</summary>
    public ContainerNetworkMode Mode => Networks switch
    {
        [NoneMode] => ContainerNetworkMode.None,
        [HostMode] => ContainerNetworkMode.Host,
        [var only] when only.StartsWith(ContainerModePrefix, StringComparison.Ordinal) => ContainerNetworkMode.Container,
        _ => ContainerNetworkMode.Bridge,
    };

    /// <param name="exposedPorts">The image's ExposedPorts, which -PublishAll publishes.</param>
    internal static NetworkDefinition Resolve(NetworkConfig asked, IReadOnlyList<string> exposedPorts)
    {
        var networks = asked.Networks.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var definition = new NetworkDefinition
        {
            Mode = networks switch
            {
                [NoneMode] => NetworkMode.None,
                [HostMode] => NetworkMode.Host,
                [var only] when only.StartsWith(ContainerModePrefix, StringComparison.Ordinal) => NetworkMode.Container,
                _ when networks.Any(IsMode) =>
                    throw ConmanErrors.InvalidNetworkMode(string.Join(",", networks), "'none', 'host' and 'container:<name>' are modes of their own and take no other network"),
                _ => NetworkMode.Bridge,
            },
        };
        foreach (string alias in asked.Aliases)
        {
            if (!ContainerName.IsValid(alias)) throw ConmanErrors.InvalidNetworkMode(alias, "a network alias is a name as a container's");
        }
        if (definition.Mode == NetworkMode.Container)
        {
            definition.Container = networks[0][ContainerModePrefix.Length..];
            if (definition.Container.Length == 0) throw ConmanErrors.InvalidNetworkMode(networks[0], "name the container whose network to join, as container:<name>");
            if (asked.Aliases.Count > 0) throw ConmanErrors.InvalidNetworkMode(networks[0], "aliases belong to the container whose network it joins");
        }
        if (definition.Mode == NetworkMode.Bridge)
        {
            var names = networks.Count == 0 ? [NetworkStore.DefaultNetwork] : networks.Select(n => n == BridgeMode ? NetworkStore.DefaultNetwork : n).Distinct().ToList();
            foreach (string name in names) NetworkStore.ValidateName(name);
            if (asked.Aliases.Count > 0 && names is [NetworkStore.DefaultNetwork])
            {
                throw ConmanErrors.InvalidNetworkMode(NetworkStore.DefaultNetwork,
                    "aliases are for networks made with New-ContainerNetwork; names do not resolve on the default network, as on Docker's");
            }
            foreach (string name in names)
            {
                var join = new NetworkJoin { Network = name };
                // As docker's --network-alias: on the user-made networks the container joins.
                if (name != NetworkStore.DefaultNetwork) join.Aliases.AddRange(asked.Aliases);
                definition.Networks.Add(join);
            }
        }
        else if (asked.Aliases.Count > 0)
        {
            throw ConmanErrors.InvalidNetworkMode(string.Join(",", networks), "aliases need a bridge network");
        }
        definition.Ports.AddRange(ResolvePorts(asked, exposedPorts, definition.Mode));
        definition.ExtraHosts.AddRange(asked.AddHost.Select(entry => ResolveExtraHost(entry, definition.Mode)));
        return definition;
    }

    /// <summary>The host to address entry docker --add-host takes ("name:address", split at its first colon, so that an IPv6 address stays whole).</summary>
    private static ExtraHost ResolveExtraHost(string entry, NetworkMode mode)
    {
        int colon = entry.IndexOf(':');
        string name = colon < 0 ? entry : entry[..colon], address = colon < 0 ? "" : entry[(colon + 1)..];
        if (name.Length == 0 || name.Length > 253 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            throw ConmanErrors.InvalidExtraHost(entry, "write name:address, the name a host name");
        if (address != HostGateway && !System.Net.IPAddress.TryParse(address, out _))
            throw ConmanErrors.InvalidExtraHost(entry, $"the address is an IP address, or {HostGateway}");
        // The joiner's hosts file is its owner's; the owner is where its names go, as Docker refuses --add-host with --network container:.
        if (mode == NetworkMode.Container) throw ConmanErrors.InvalidExtraHost(entry, "a container on another's network has that container's /etc/hosts");
        if (address == HostGateway && mode == NetworkMode.None) throw ConmanErrors.InvalidExtraHost(entry, "-Network none has no gateway to the host");
        return new ExtraHost { Name = name, Address = address };
    }

    /// <summary>docker --add-host's name for the host's address on the container's network.</summary>
    public const string HostGateway = "host-gateway";

    internal static NetworkConfig From(NetworkDefinition? network) => network is null ? new() { Networks = [NetworkStore.DefaultNetwork] } : new()
    {
        Networks = network.Mode switch
        {
            NetworkMode.None => [NoneMode],
            NetworkMode.Host => [HostMode],
            NetworkMode.Container => [ContainerModePrefix + network.Container],
            _ => [.. network.Networks.Select(n => n.Network)],
        },
        Aliases = [.. network.Networks.SelectMany(n => n.Aliases).Distinct()],
        Publish = [.. network.Ports.Select(PortSpecs.ToPublish)],
        AddHost = [.. network.ExtraHosts.Select(h => $"{h.Name}:{h.Address}")],
    };

    /// <summary>
    /// Ports go to the first network, and none into an internal one, where nothing from outside
    /// enters: refused, as -Network none's are (Docker publishes nothing there, silently).
    /// </summary>
    internal static void CheckPublished(NetworkDefinition definition, IReadOnlyList<NetworkRecord> networks)
    {
        if (definition.Ports.Count > 0 && networks is [{ Internal: true } first, ..])
        {
            throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(definition.Ports[0]), $"the network '{first.Name}' is internal: nothing outside it reaches its containers");
        }
    }

    private static bool IsMode(string network) => network is NoneMode or HostMode || network.StartsWith(ContainerModePrefix, StringComparison.Ordinal);

    private static List<PortPublish> ResolvePorts(NetworkConfig asked, IReadOnlyList<string> exposedPorts, NetworkMode mode)
    {
        var ports = asked.Publish.SelectMany(PortSpecs.Parse).ToList();
        if (asked.PublishAll)
        {
            // An image may expose sctp ports, which the port plugin does not forward: those are not published.
            var forwardable = exposedPorts.Where(e => !e.Contains('/') || e.EndsWith("/tcp", StringComparison.OrdinalIgnoreCase)
                || e.EndsWith("/udp", StringComparison.OrdinalIgnoreCase));
            foreach (var exposed in forwardable.Select(PortSpecs.FromExposed))
            {
                if (!ports.Any(p => p.ContainerPort == exposed.ContainerPort && p.Protocol == exposed.Protocol)) ports.Add(exposed);
            }
        }
        if (ports.Count > 0 && mode != NetworkMode.Bridge)
        {
            throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(ports[0]), mode switch
            {
                NetworkMode.Host => "a container on the host's network uses the host's ports directly",
                NetworkMode.Container => "a container on another's network uses that container's ports: publish them there",
                _ => "a container with no network publishes nothing",
            });
        }
        var duplicate = ports.Where(p => p.HostPort != 0).GroupBy(p => (p.HostIp, p.HostPort, p.Protocol)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(duplicate.First()), "that host port is published twice");
        return ports;
    }

    /// <summary>What the network mode puts in config.json; the namespace joined and its files come from the network resources.</summary>
    internal static IEnumerable<SpecOption> SpecOptions(NetworkDefinition network)
    {
        if (network.Mode == NetworkMode.Host) yield return Spec.SpecOptions.WithHostNetwork();
    }
}

/// <summary>Where a container's network namespace comes from (docker --network's modes).</summary>
public enum ContainerNetworkMode
{
    /// <summary>Its own, on bridge networks (the default one unless others are named).</summary>
    Bridge,
    /// <summary>Its own, with loopback only.</summary>
    None,
    /// <summary>The host's.</summary>
    Host,
    /// <summary>Another container's (container:&lt;name&gt;), with its hostname and /etc files.</summary>
    Container,
}
