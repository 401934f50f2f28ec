using System.Text;
using System.Text.RegularExpressions;

namespace Conman.Engine.Networks;

/// <summary>
/// Conman's own nftables table, <c>inet conman</c>: what no CNI plugin does (docs/networking.md,
/// "What a container can reach"). Its rules are fixed; the bridges of the networks in use, on
/// every store of the host, fill its sets. The whole table is written in one <c>nft -f</c>
/// transaction that deletes it and makes it again, so that it is always exactly what the bridges
/// given say, whatever was there, and no packet ever sees half of it.
/// <list type="bullet">
/// <item>prerouting, at raw priority (before conntrack and portmap's DNAT): nothing addressed to
/// 127.0.0.0/8 comes in but through lo. portmap sets route_localnet on a bridge that publishes a
/// port, and its DNAT of 127.0.0.1 ports takes packets from any interface (CVE-2020-8558: kube-proxy
/// drops the same, Docker 28 per published port).</item>
/// <item>forward: within a bridge, anything (br_netfilter shows bridged frames here, in and out
/// through the bridge). An internal network's bridge is neither left nor entered. Into any other
/// Conman bridge come only replies and published ports (DNAT): no network reaches another's
/// containers, nor does the LAN, as Docker isolates its networks and drops direct routing.</item>
/// <item>input: an internal network's containers do not reach the host either.</item>
/// </list>
/// </summary>
internal static partial class HostRuleset
{
    public const string Family = "inet", Table = "conman";

    /// <summary>The script that makes the table for these bridges, or removes it when there is none.</summary>
    public static string For(IReadOnlyCollection<(string Bridge, bool Internal)> bridges)
    {
        var script = new StringBuilder();
        // "add" first: "delete" alone fails when the table is not there.
        script.Append($"add table {Family} {Table}\ndelete table {Family} {Table}\n");
        if (bridges.Count == 0) return script.ToString();
        foreach (var (bridge, _) in bridges)
        {
            if (!IsBridgeName(bridge)) throw new ArgumentException($"'{bridge}' is not a bridge's name.", nameof(bridges));
        }
        script.Append($$"""
            table {{Family}} {{Table}} {
            	set bridges {
            		type ifname
            		elements = { {{List(bridges.Select(b => b.Bridge))}} }
            	}
            	set within {
            		type ifname . ifname
            		elements = { {{List(bridges.Select(b => b.Bridge), b => $"\"{b}\" . \"{b}\"")}} }
            	}
            	set internal {
            		type ifname
            		{{(bridges.Any(b => b.Internal) ? $"elements = {{ {List(bridges.Where(b => b.Internal).Select(b => b.Bridge))} }}" : "")}}
            	}
            	chain prerouting {
            		type filter hook prerouting priority raw; policy accept;
            		iifname != "lo" ip daddr 127.0.0.0/8 drop
            	}
            	chain input {
            		type filter hook input priority filter; policy accept;
            		iifname @internal drop
            	}
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname . oifname @within accept
            		iifname @internal drop
            		oifname @internal drop
            		oifname @bridges ct state established,related accept
            		oifname @bridges ct status dnat accept
            		oifname @bridges drop
            	}
            }

            """);
        return script.ToString();
    }

    /// <summary>A name nft takes quoted as it is, and an interface may have (IFNAMSIZ, 15 characters).</summary>
    public static bool IsBridgeName(string name) => BridgeName().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}$")]
    private static partial Regex BridgeName();

    private static string List(IEnumerable<string> bridges, Func<string, string>? element = null) =>
        string.Join(", ", bridges.Select(element ?? (b => $"\"{b}\"")));
}
