using System.Text.Json.Nodes;
using Conman.Engine;
using Conman.Engine.Networks;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>
/// Each network's plugin chain and its published ports' portmap config (Networks/CniConfigs.cs,
/// docs/networking.md), as the CNI plugins read them (containernetworking/plugins: bridge,
/// host-local, firewall, portmap); no plugin runs.
/// </summary>
[Trait("Category", "Unit")]
public class CniConfigsTests
{
    private static NetworkRecord Network(bool isInternal) => new()
    {
        Id = new string('a', 64), Name = "n", Bridge = "cm-aaaaaaaaaaaa", Subnet = "10.90.3.0/24", Gateway = "10.90.3.1", Internal = isInternal,
    };

    private static JsonObject Plugin(NetworkRecord network, string type) =>
        CniConfigs.Chain(network, "/ipam").Single(p => p.Type == type).Config;

    [Fact]
    public void An_internal_networks_bridge_has_no_address_no_masquerade_and_no_route_out()
    {
        var bridge = Plugin(Network(true), "bridge");
        Assert.Equal((false, false), (bridge["isGateway"]!.GetValue<bool>(), bridge["ipMasq"]!.GetValue<bool>()));
        Assert.Empty(bridge["ipam"]!["routes"]!.AsArray());
        var open = Plugin(Network(false), "bridge");
        Assert.Equal((true, true), (open["isGateway"]!.GetValue<bool>(), open["ipMasq"]!.GetValue<bool>()));
    }

    [Fact]
    public void Refuses_ports_published_into_an_internal_network_first_in_the_list()
    {
        var definition = new ContainerDefinition().WithGroups();
        definition.Network.Ports.Add(new PortPublish { HostPort = 8080, ContainerPort = 80, Protocol = "tcp" });
        var error = Assert.Throws<ConmanException>(() => NetworkConfig.CheckPublished(definition.Network, [Network(true), Network(false)]));
        Assert.Equal(ErrorIds.InvalidPortSpec, error.ErrorId);
        Assert.Contains("internal", error.Message);
        NetworkConfig.CheckPublished(definition.Network, [Network(false), Network(true)]);
        NetworkConfig.CheckPublished(new NetworkDefinition(), [Network(true)]);
    }

    [Theory]
    // The default network, a user network and an internal one: bridge then firewall, each with the network's
    // name (which names the plugins' state) and CNI 1.0.0; host-local keeps its leases under the store's ipam
    // folder, one folder per network name.
    [InlineData("conman", "cm-0123456789ab", "10.90.0.0/24", "10.90.0.1", false, """
        [{"cniVersion":"1.0.0","name":"conman","type":"bridge","bridge":"cm-0123456789ab","isGateway":true,"ipMasq":true,"hairpinMode":true,
          "ipam":{"type":"host-local","ranges":[[{"subnet":"10.90.0.0/24","gateway":"10.90.0.1"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/store/networks/ipam"}},
         {"cniVersion":"1.0.0","name":"conman","type":"firewall","backend":"iptables"}]
        """)]
    [InlineData("web", "cm-abcdefabcdef", "172.30.0.0/16", "172.30.0.1", false, """
        [{"cniVersion":"1.0.0","name":"web","type":"bridge","bridge":"cm-abcdefabcdef","isGateway":true,"ipMasq":true,"hairpinMode":true,
          "ipam":{"type":"host-local","ranges":[[{"subnet":"172.30.0.0/16","gateway":"172.30.0.1"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/store/networks/ipam"}},
         {"cniVersion":"1.0.0","name":"web","type":"firewall","backend":"iptables"}]
        """)]
    // Internal: the bridge has no address, nothing is masqueraded, no route out (podman's internal bridge).
    [InlineData("backend", "cm-fedcba987654", "10.90.7.0/24", "10.90.7.1", true, """
        [{"cniVersion":"1.0.0","name":"backend","type":"bridge","bridge":"cm-fedcba987654","isGateway":false,"ipMasq":false,"hairpinMode":true,
          "ipam":{"type":"host-local","ranges":[[{"subnet":"10.90.7.0/24","gateway":"10.90.7.1"}]],"routes":[],"dataDir":"/store/networks/ipam"}},
         {"cniVersion":"1.0.0","name":"backend","type":"firewall","backend":"iptables"}]
        """)]
    public void A_networks_chain_is_bridge_with_host_local_then_firewall(string name, string bridge, string subnet, string gateway, bool isInternal, string expected)
    {
        var network = new NetworkRecord { Id = new string('a', 64), Name = name, Bridge = bridge, Subnet = subnet, Gateway = gateway, Internal = isInternal };
        var chain = CniConfigs.Chain(network, "/store/networks/ipam");
        Assert.Equal(chain.Select(p => p.Config["type"]!.GetValue<string>()), chain.Select(p => p.Type));
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), new JsonArray(chain.Select(p => (JsonNode)p.Config.DeepClone()).ToArray()).ToJsonString());
    }

    [Theory]
    // Every host address: no hostIP, as portmap reads "all".
    [InlineData("", 8080u, 80u, "tcp", """{"hostPort":8080,"containerPort":80,"protocol":"tcp"}""")]
    [InlineData("127.0.0.1", 8080u, 80u, "tcp", """{"hostPort":8080,"containerPort":80,"protocol":"tcp","hostIP":"127.0.0.1"}""")]
    [InlineData("", 5353u, 53u, "udp", """{"hostPort":5353,"containerPort":53,"protocol":"udp"}""")]
    [InlineData("127.0.0.1", 9000u, 9000u, "udp", """{"hostPort":9000,"containerPort":9000,"protocol":"udp","hostIP":"127.0.0.1"}""")]
    public void A_published_port_is_one_portmap_mapping(string hostIp, uint hostPort, uint containerPort, string protocol, string expected)
    {
        var config = CniConfigs.PortMap(Network(false), [new PortPublish { HostIp = hostIp, HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol }]);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), Assert.Single(config["runtimeConfig"]!["portMappings"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public void Portmaps_config_names_the_network_and_asks_for_the_port_mappings_capability_with_every_port_in_order()
    {
        var config = CniConfigs.PortMap(Network(false),
        [
            new PortPublish { HostPort = 8443, ContainerPort = 443, Protocol = "tcp" },
            new PortPublish { HostIp = "127.0.0.1", HostPort = 8080, ContainerPort = 80, Protocol = "tcp" },
        ]);
        Assert.Equal(JsonNode.Parse("""
            {"cniVersion":"1.0.0","name":"n","type":"portmap","capabilities":{"portMappings":true},
             "runtimeConfig":{"portMappings":[{"hostPort":8443,"containerPort":443,"protocol":"tcp"},{"hostPort":8080,"containerPort":80,"protocol":"tcp","hostIP":"127.0.0.1"}]}}
            """)!.ToJsonString(), config.ToJsonString());
    }

    [Fact]
    public void A_port_asked_as_0_reaches_portmap_as_the_port_the_start_bound()
    {
        // portmap refuses a host port of 0 ("Invalid host port number", plugins/meta/portmap/main.go parseConfig):
        // the start binds a free one first (PublishedPorts), and that is the one portmap is given.
        var networking = new ContainerNetworking(new string('c', 64), "web-1", "web-1", "/run/conman/test/netns/none");
        var published = new PublishedPorts(networking,
        [
            new PortPublish { HostIp = "127.0.0.1", HostPort = 0, ContainerPort = 80, Protocol = "tcp" },
            new PortPublish { HostIp = "127.0.0.1", HostPort = 0, ContainerPort = 53, Protocol = "udp" },
        ]);
        published.Acquire();
        try
        {
            var mappings = CniConfigs.PortMap(Network(false), networking.Ports)["runtimeConfig"]!["portMappings"]!.AsArray();
            var bound = published.Held.Select(h => (h.HostPort, h.Protocol)).ToList();
            Assert.All(bound, b => Assert.NotEqual(0u, b.HostPort));
            Assert.Equal(bound, mappings.Select(m => (m!["hostPort"]!.GetValue<uint>(), m["protocol"]!.GetValue<string>())));
            Assert.Equal([80u, 53u], mappings.Select(m => m!["containerPort"]!.GetValue<uint>()));
        }
        finally
        {
            published.CloseSockets();
        }
    }

    [Fact]
    public void A_plugin_is_given_the_previous_result_on_a_copy_of_its_config()
    {
        var config = CniConfigs.PortMap(Network(false), [new PortPublish { HostPort = 8080, ContainerPort = 80, Protocol = "tcp" }]);
        string before = config.ToJsonString();
        var previous = new JsonObject { ["cniVersion"] = "1.0.0", ["ips"] = new JsonArray(new JsonObject { ["address"] = "10.90.3.2/24" }) };
        var given = CniConfigs.WithPrevious(config, previous);
        Assert.Equal(previous.ToJsonString(), given["prevResult"]!.ToJsonString());
        Assert.Equal(before, config.ToJsonString());
        previous["ips"] = new JsonArray();
        Assert.Equal("10.90.3.2/24", given["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>());
        Assert.False(CniConfigs.WithPrevious(config, null).ContainsKey("prevResult"));
    }
}
