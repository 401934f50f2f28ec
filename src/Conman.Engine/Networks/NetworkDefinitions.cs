using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The network part of a container's definition, from New-Container's -Network, -NetworkAlias,
/// -Publish and -PublishAll, checked before anything is written (docs/networking.md).
/// </summary>
internal static class NetworkDefinitions
{
    /// <summary>-Network's modes; any other value names a network.</summary>
    public const string BridgeMode = "bridge", NoneMode = "none", HostMode = "host", ContainerModePrefix = "container:";

    public static void Apply(ContainerDefinition definition, ContainerOptions options, IReadOnlyList<string> exposedPorts)
    {
        var asked = options.Networks.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        definition.NetworkMode = asked switch
        {
            [NoneMode] => NetworkMode.None,
            [HostMode] => NetworkMode.Host,
            [var only] when only.StartsWith(ContainerModePrefix, StringComparison.Ordinal) => NetworkMode.Container,
            _ when asked.Any(IsMode) =>
                throw ConmanErrors.InvalidNetworkMode(string.Join(",", asked), "'none', 'host' and 'container:<name>' are modes of their own and take no other network"),
            _ => NetworkMode.Bridge,
        };
        if (definition.NetworkMode == NetworkMode.Container) ApplyJoin(definition, options, asked[0]);
        foreach (string alias in options.NetworkAliases)
        {
            if (!ContainerName.IsValid(alias)) throw ConmanErrors.InvalidNetworkMode(alias, "a network alias is a name as a container's");
        }
        if (definition.NetworkMode == NetworkMode.Bridge)
        {
            var names = asked.Count == 0 ? [NetworkStore.DefaultNetwork] : asked.Select(n => n == BridgeMode ? NetworkStore.DefaultNetwork : n).Distinct().ToList();
            foreach (string name in names) NetworkStore.ValidateName(name);
            bool onlyDefault = names is [NetworkStore.DefaultNetwork];
            if (options.NetworkAliases.Count > 0 && onlyDefault)
            {
                throw ConmanErrors.InvalidNetworkMode(NetworkStore.DefaultNetwork,
                    "aliases are for networks made with New-ContainerNetwork; names do not resolve on the default network, as on Docker's");
            }
            foreach (string name in names)
            {
                var join = new NetworkJoin { Network = name };
                // As docker's --network-alias: on the user-made networks the container joins.
                if (name != NetworkStore.DefaultNetwork) join.Aliases.AddRange(options.NetworkAliases);
                definition.Networks.Add(join);
            }
        }
        else if (options.NetworkAliases.Count > 0)
        {
            throw ConmanErrors.InvalidNetworkMode(string.Join(",", asked), "aliases need a bridge network");
        }

        var ports = options.Publish.SelectMany(PortSpecs.Parse).ToList();
        if (options.PublishAll)
        {
            // An image may expose sctp ports, which the port plugin does not forward: those are not published.
            var forwardable = exposedPorts.Where(e => !e.Contains('/') || e.EndsWith("/tcp", StringComparison.OrdinalIgnoreCase)
                || e.EndsWith("/udp", StringComparison.OrdinalIgnoreCase));
            foreach (var exposed in forwardable.Select(PortSpecs.FromExposed))
            {
                if (!ports.Any(p => p.ContainerPort == exposed.ContainerPort && p.Protocol == exposed.Protocol)) ports.Add(exposed);
            }
        }
        if (ports.Count > 0 && definition.NetworkMode != NetworkMode.Bridge)
        {
            throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(ports[0]), definition.NetworkMode switch
            {
                NetworkMode.Host => "a container on the host's network uses the host's ports directly",
                NetworkMode.Container => "a container on another's network uses that container's ports: publish them there",
                _ => "a container with no network publishes nothing",
            });
        }
        var duplicate = ports.Where(p => p.HostPort != 0).GroupBy(p => (p.HostIp, p.HostPort, p.Protocol)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(duplicate.First()), "that host port is published twice");
        definition.Ports.AddRange(ports);
    }

    private static bool IsMode(string network) => network is NoneMode or HostMode || network.StartsWith(ContainerModePrefix, StringComparison.Ordinal);

    /// <summary>
    /// -Network container:&lt;name&gt; (Docker's): the namespace, hostname and /etc files are the
    /// other container's, so what would set them here is refused, as Docker refuses it. The name is
    /// resolved to the owner's id by the create, which keeps the id.
    /// </summary>
    private static void ApplyJoin(ContainerDefinition definition, ContainerOptions options, string mode)
    {
        string owner = mode[ContainerModePrefix.Length..];
        if (owner.Length == 0) throw ConmanErrors.InvalidNetworkMode(mode, "name the container whose network to join, as container:<name>");
        if (options.NetworkAliases.Count > 0) throw ConmanErrors.InvalidNetworkMode(mode, "aliases belong to the container whose network it joins");
        if (options.Hostname is not null) throw ConmanErrors.InvalidNetworkMode(mode, "its hostname is that of the container whose network it joins");
        if (options.UserNamespace is not null && options.UserNamespace != "host" || options.UidMap.Count > 0 || options.GidMap.Count > 0)
        {
            throw ConmanErrors.InvalidNetworkMode(mode, "a container joining another's network cannot have a user namespace of its own");
        }
        definition.NetworkContainer = owner;
    }

    /// <summary>
    /// Ports go to the first network, and none into an internal one, where nothing from outside
    /// enters: refused, as -Network none's are (Docker publishes nothing there, silently).
    /// </summary>
    public static void CheckPublished(ContainerDefinition definition, IReadOnlyList<NetworkRecord> networks)
    {
        if (definition.Ports.Count > 0 && networks is [{ Internal: true } first, ..])
        {
            throw ConmanErrors.InvalidPortSpec(PortSpecs.Format(definition.Ports[0]), $"the network '{first.Name}' is internal: nothing outside it reaches its containers");
        }
    }
}
