using System.Text.Json.Nodes;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The plugin chain of a bridge network (nerdctl's and podman 3's): bridge with host-local
/// addresses, then firewall, whose FORWARD rules let the traffic through on hosts whose policy
/// drops it (Docker's hosts do); and portmap for the published ports, run on its own on the
/// network that carries them (<see cref="PortForwarding"/>). Each plugin's config is the network's
/// name and version, its own settings, and what the previous one gave (prevResult).
/// What keeps networks apart on the host is not a plugin's: <see cref="HostRuleset"/>.
/// </summary>
internal static class CniConfigs
{
    public const string Version = "1.0.0";

    public static IReadOnlyList<(string Type, JsonObject Config)> Chain(NetworkRecord network, string ipamFolder)
    {
        var range = new JsonObject { ["subnet"] = network.Subnet, ["gateway"] = network.Gateway };
        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(range)),
            // An internal network has no way out: no default route, no masquerade.
            ["routes"] = network.Internal ? new JsonArray() : new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
            ["dataDir"] = ipamFolder,
        };
        var chain = new List<(string, JsonObject)>
        {
            ("bridge", Base(network, "bridge", new JsonObject
            {
                ["bridge"] = network.Bridge,
                // An internal network's bridge has no address (podman's): its containers have no host to reach.
                ["isGateway"] = !network.Internal,
                ["ipMasq"] = !network.Internal,
                // A published port must work from other containers too: their traffic comes back through the bridge.
                ["hairpinMode"] = true,
                ["ipam"] = ipam,
            })),
        };
        chain.Add(("firewall", Base(network, "firewall", new JsonObject { ["backend"] = "iptables" })));
        return chain;
    }

    /// <summary>portmap's config for the ports, on the network that carries them (its name names portmap's chains).</summary>
    public static JsonObject PortMap(NetworkRecord network, IReadOnlyList<PortPublish> ports)
    {
        var mappings = new JsonArray();
        foreach (var port in ports)
        {
            var mapping = new JsonObject { ["hostPort"] = port.HostPort, ["containerPort"] = port.ContainerPort, ["protocol"] = port.Protocol };
            if (port.HostIp.Length > 0) mapping["hostIP"] = port.HostIp;
            mappings.Add(mapping);
        }
        return Base(network, "portmap", new JsonObject
        {
            ["capabilities"] = new JsonObject { ["portMappings"] = true },
            ["runtimeConfig"] = new JsonObject { ["portMappings"] = mappings },
        });
    }

    /// <summary>A plugin's config with the previous plugin's result (or the chain's cached one, for a DEL).</summary>
    public static JsonObject WithPrevious(JsonObject config, JsonObject? previous)
    {
        var copy = (JsonObject)config.DeepClone();
        if (previous is not null) copy["prevResult"] = previous.DeepClone();
        return copy;
    }

    private static JsonObject Base(NetworkRecord network, string type, JsonObject settings)
    {
        var config = new JsonObject { ["cniVersion"] = Version, ["name"] = network.Name, ["type"] = type };
        foreach (var (key, value) in settings.ToList())
        {
            settings.Remove(key);
            config[key] = value;
        }
        return config;
    }
}
