using System.Text.Json.Nodes;
using Conman.Engine;
using Conman.Engine.Networks;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>Each network's plugin chain (docs/networking.md); no plugin runs.</summary>
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
}
