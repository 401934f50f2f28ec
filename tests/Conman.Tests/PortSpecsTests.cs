using Conman.Engine;
using Conman.Engine.Networks;
using Xunit;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class PortSpecsTests
{
    [Theory]
    [InlineData("80", "", 0u, 80u, "tcp")]
    [InlineData("8080:80", "", 8080u, 80u, "tcp")]
    [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1", 8080u, 80u, "udp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0u, 80u, "tcp")]
    [InlineData("0.0.0.0:53:53/UDP", "", 53u, 53u, "udp")]
    public void Parses_dockers_forms(string spec, string hostIp, uint hostPort, uint containerPort, string protocol)
    {
        var port = Assert.Single(PortSpecs.Parse(spec));
        Assert.Equal((hostIp, hostPort, containerPort, protocol), (port.HostIp, port.HostPort, port.ContainerPort, port.Protocol));
    }

    [Fact]
    public void A_range_is_one_port_each_and_pairs_host_and_container_ports_in_order()
    {
        var ports = PortSpecs.Parse("8080-8082:80-82");
        Assert.Equal([(8080u, 80u), (8081u, 81u), (8082u, 82u)], ports.Select(p => (p.HostPort, p.ContainerPort)));
        Assert.Equal([0u, 0u], PortSpecs.Parse("90-91").Select(p => p.HostPort));
    }

    [Theory]
    [InlineData("0:80")]
    [InlineData("80:65536")]
    [InlineData("a:80")]
    [InlineData("8080-8081:80")]
    [InlineData("82-80:80-82")]
    [InlineData("::1:80:80")]
    [InlineData("1.2.3:80:80")]
    [InlineData("80/sctp")]
    [InlineData("")]
    [InlineData("+80")]
    public void Refuses_what_is_not_a_port_to_publish(string spec)
    {
        var e = Assert.Throws<ConmanException>(() => PortSpecs.Parse(spec));
        Assert.Equal(ErrorIds.InvalidPortSpec, e.ErrorId);
    }

    [Fact]
    public void Formats_as_docker_ps()
    {
        Assert.Equal("0.0.0.0:8080->80/tcp", PortSpecs.Format(PortSpecs.Parse("8080:80")[0]));
        Assert.Equal("127.0.0.1:*->53/udp", PortSpecs.Format(PortSpecs.Parse("127.0.0.1::53/udp")[0]));
    }
}

/// <summary>A published port shown as docker -p writes it, and taken back the same.</summary>
[Trait("Category", "Unit")]
public class PortSpecsRoundTripTests
{
    [Theory]
    [InlineData("8080:80/tcp")]
    [InlineData("80/tcp")]
    [InlineData("127.0.0.1::53/udp")]
    [InlineData("127.0.0.1:8443:443/tcp")]
    public void A_port_written_for_docker_p_parses_back_to_itself(string spec) =>
        Assert.Equal(spec, Conman.Engine.Networks.PortSpecs.ToPublish(Assert.Single(Conman.Engine.Networks.PortSpecs.Parse(spec))));
}
