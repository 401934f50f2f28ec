using Conman.Engine.Networks;
using Conman.Engine.Runtime;

namespace Conman.Tests;

/// <summary>Conman's nftables table as text, and as nft checks it against this kernel (nft --check applies nothing).</summary>
public class HostRulesetTests
{
    [Fact]
    public void Drops_what_comes_for_loopback_on_any_other_interface_before_any_DNAT()
    {
        string table = HostRuleset.For([("cm-0123456789ab", false)]);
        Assert.Contains("type filter hook prerouting priority raw; policy accept;\n\t\tiifname != \"lo\" ip daddr 127.0.0.0/8 drop", table);
    }

    [Fact]
    public void Lets_into_a_bridge_only_its_own_traffic_replies_and_published_ports_and_closes_internal_ones()
    {
        string table = HostRuleset.For([("cm-0123456789ab", false), ("cm-ba9876543210", true)]);
        Assert.Contains("elements = { \"cm-0123456789ab\", \"cm-ba9876543210\" }", table);
        Assert.Contains("elements = { \"cm-0123456789ab\" . \"cm-0123456789ab\", \"cm-ba9876543210\" . \"cm-ba9876543210\" }", table);
        Assert.Contains("set internal {\n\t\ttype ifname\n\t\telements = { \"cm-ba9876543210\" }", table);
        // In this order: within a bridge, then the internal ones, then replies, published ports, and nothing else.
        string[] forward =
        [
            "iifname . oifname @within accept", "iifname @internal drop", "oifname @internal drop",
            "oifname @bridges ct state established,related accept", "oifname @bridges ct status dnat accept", "oifname @bridges drop",
        ];
        string chain = table[table.IndexOf("chain forward", StringComparison.Ordinal)..];
        Assert.All(forward, rule => Assert.Contains(rule, chain));
        Assert.Equal(forward, forward.OrderBy(rule => chain.IndexOf(rule, StringComparison.Ordinal)));
        Assert.Contains("type filter hook input priority filter; policy accept;\n\t\tiifname @internal drop", table);
    }

    [Fact]
    public void Is_replaced_whole_in_one_transaction_and_removed_with_the_last_bridge()
    {
        Assert.StartsWith("add table inet conman\ndelete table inet conman\ntable inet conman {", HostRuleset.For([("cm-0123456789ab", false)]));
        Assert.Equal("add table inet conman\ndelete table inet conman\n", HostRuleset.For([]));
    }

    [Fact]
    public void Refuses_a_name_that_is_no_interface_name()
    {
        Assert.Throws<ArgumentException>(() => HostRuleset.For([("cm-x\" }; flush ruleset; {", false)]));
        Assert.Throws<ArgumentException>(() => HostRuleset.For([("cm-0123456789abcdef", false)]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nft_accepts_the_table(bool withInternal)
    {
        string nft = new[] { "/usr/sbin/nft", "/sbin/nft" }.First(File.Exists);
        var bridges = withInternal ? new[] { ("cm-0123456789ab", false), ("cm-ba9876543210", true) } : [("cm-0123456789ab", false)];
        var result = HelperProcess.Run(nft, ["--check", "-f", "-"], System.Text.Encoding.UTF8.GetBytes(HostRuleset.For(bridges)));
        Assert.True(result.ExitCode == 0, result.Stderr);
    }
}
