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
}
