using System.Text;
using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// Keeps Conman's nftables table (<see cref="HostRuleset"/>) in step with the bridges in use on
/// the host. A network's bridge is claimed under /run/conman/firewall (<see cref="ClaimFolder"/>: a
/// file per bridge naming the network record that owns it, and whether it is internal) when a
/// container first uses the network, and given back when the network goes; each change writes the
/// whole table again from the live claims, and the last one removes it. So a start costs no
/// process once its network's rules are there, stores deleted with rm -rf lose their bridges at
/// the next change (their claims are stale), and after a reboot, with /run and the table both
/// gone, the first use sets them up again.
/// </summary>
internal static class HostFirewall
{
    private const string InternalLine = "internal", BridgedLine = "bridge";
    private static readonly ClaimFolder Claims = new(StoreLayout.FirewallClaimsFolder);
    private static readonly string[] NftPaths = ["/usr/sbin/nft", "/sbin/nft"];

    /// <summary>Sets up the rules of a network about to be used, unless they are there.</summary>
    /// <exception cref="ConmanException">NetworkRulesFailed: nft is missing or refused the table.</exception>
    public static void Ensure(NetworkRecord network, string recordPath)
    {
        using var _ = Claims.Lock();
        if (Claims.OwnerOf(network.Bridge) == recordPath) return;
        Claims.Write(network.Bridge, recordPath, [network.Internal ? InternalLine : BridgedLine]);
        try
        {
            Apply(network.Name);
        }
        catch
        {
            Claims.Withdraw(network.Bridge);
            throw;
        }
    }

    /// <summary>Takes a bridge's rules away (its network is removed, or it was an orphan); the table goes with the last bridge.</summary>
    /// <exception cref="ConmanException">NetworkRulesFailed: the claim stays, so that the next try does it again.</exception>
    public static void Forget(string bridge, string network)
    {
        using var _ = Claims.Lock();
        if (Claims.OwnerOf(bridge) is null) return;
        Apply(network, without: bridge);
        Claims.Withdraw(bridge);
    }

    /// <summary>Writes the table of every live claim (but <paramref name="without"/>'s); stale claims are dropped on the way.</summary>
    private static void Apply(string network, string? without = null)
    {
        // No record is named "": every live claim is another's.
        var bridges = Claims.Others("", (string name, string _, string[] lines, out (string Bridge, bool Internal) claim) =>
        {
            claim = (name, lines is [InternalLine, ..]);
            return HostRuleset.IsBridgeName(name) && lines is [InternalLine or BridgedLine, ..];
        }).Select(c => c.Claim).Where(c => c.Bridge != without).ToList();
        string nft = NftPaths.FirstOrDefault(File.Exists)
            ?? throw ConmanErrors.NetworkRulesFailed(network, "nft is not installed (Debian's nftables package has it)");
        var result = HelperProcess.Run(nft, ["-f", "-"], Encoding.UTF8.GetBytes(HostRuleset.For(bridges)));
        if (result.ExitCode != 0) throw ConmanErrors.NetworkRulesFailed(network, $"nft: {result.Stderr.Trim()}");
    }
}
