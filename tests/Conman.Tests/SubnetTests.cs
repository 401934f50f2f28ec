using Conman.Engine;
using Conman.Engine.Networks;
using Xunit;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class SubnetTests
{
    [Fact]
    public void Parses_ipv4_cidrs_and_knows_their_addresses()
    {
        var subnet = Subnet.Parse("10.90.3.0/24");
        Assert.Equal("10.90.3.0/24", subnet.Canonical());
        Assert.Equal("10.90.3.1", subnet.Address(1).ToString());
        Assert.Equal("10.90.3.254", subnet.LastHost.ToString());
        Assert.True(subnet.Contains(System.Net.IPAddress.Parse("10.90.3.77")));
        Assert.False(subnet.Contains(System.Net.IPAddress.Parse("10.90.4.1")));
    }

    [Fact]
    public void Overlap_is_either_containing_the_other()
    {
        Assert.True(Subnet.Parse("10.0.0.0/8").Overlaps(Subnet.Parse("10.90.3.0/24")));
        Assert.True(Subnet.Parse("10.90.3.0/24").Overlaps(Subnet.Parse("10.0.0.0/8")));
        Assert.False(Subnet.Parse("10.90.3.0/24").Overlaps(Subnet.Parse("10.90.4.0/24")));
    }

    [Theory]
    [InlineData("10.90.3.1/24")]
    [InlineData("10.90.3.0")]
    [InlineData("10.90.3.0/31")]
    [InlineData("10.0.0.0/7")]
    [InlineData("fd00::/64")]
    [InlineData("10.90.300.0/24")]
    public void Refuses_what_is_not_a_usable_subnet(string value)
    {
        Assert.Equal(ErrorIds.InvalidSubnet, Assert.Throws<ConmanException>(() => Subnet.Parse(value)).ErrorId);
    }

    [Theory]
    [InlineData("127.0.0.0/8", "loopback")]
    [InlineData("127.1.2.0/24", "loopback")]
    [InlineData("0.0.0.0/8", "this network")]
    [InlineData("0.1.0.0/24", "this network")]
    [InlineData("169.254.9.0/24", "link-local")]
    [InlineData("169.0.0.0/8", "link-local")]
    [InlineData("224.1.0.0/24", "multicast")]
    [InlineData("239.255.0.0/16", "multicast")]
    [InlineData("240.0.0.0/24", "reserved")]
    [InlineData("255.255.255.0/24", "broadcast")]
    [InlineData("10.99.0.0/31", "8 to 30")]
    [InlineData("10.99.0.1/32", "8 to 30")]
    public void A_new_network_refuses_loopback_multicast_and_reserved_subnets_changing_nothing(string value, string why)
    {
        string root = Directory.CreateTempSubdirectory("conman-xunit-subnets").FullName;
        try
        {
            var store = new NetworkStore(new StoreLayout(root));
            var error = Assert.Throws<ConmanException>(() => store.Create(new NetworkOptions("special", value)));
            Assert.Equal((ErrorIds.InvalidSubnet, ConmanErrorKind.InvalidArgument, (object?)value), (error.ErrorId, error.Kind, error.Target));
            Assert.Contains(why, error.Message);
            Assert.Empty(store.List());
            Assert.False(File.Exists(Path.Combine(StoreLayout.SubnetClaimsFolder, value.Replace('/', '_') + ".claim")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("10.91.77.0/24")]
    [InlineData("172.30.0.0/16")]
    [InlineData("192.168.200.0/30")]
    [InlineData("100.64.7.0/24")]
    public void A_new_network_takes_private_and_public_unicast_subnets(string value) =>
        Assert.Equal(value, Subnet.ParseForNetwork(value).Canonical());
}
