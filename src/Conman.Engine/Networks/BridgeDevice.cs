using Conman.Engine.Runtime;

namespace Conman.Engine.Networks;

/// <summary>
/// A network's bridge on the host. The CNI bridge plugin makes it on the first container's ADD
/// and never deletes it (podman's cni-podman0 stays as well); it goes with its network.
/// </summary>
internal static class BridgeDevice
{
    public const string Prefix = "cm-";

    /// <summary>A Conman bridge ("cm-" and 12 hex digits) that no live network owns and nothing is plugged into.</summary>
    public static bool IsOrphan(string device, IReadOnlySet<string> owned) =>
        device.Length == Prefix.Length + 12 && device.StartsWith(Prefix, StringComparison.Ordinal) && !owned.Contains(device)
        && Directory.Exists(Path.Combine("/sys/class/net", device, "brif"))
        && !Directory.EnumerateFileSystemEntries(Path.Combine("/sys/class/net", device, "brif")).Any();

    /// <summary>
    /// Deletes the bridge when it is unused and has lost its MAC address: a bridge plugin ADD
    /// that failed after plugging a veth in (its address allocation failed, say) leaves a bridge
    /// whose address went with the veth, and every later ADD then fails setting it ("could not
    /// set bridge's mac"). Made again by the next ADD.
    /// </summary>
    public static void RepairIfBroken(string bridge)
    {
        string folder = Path.Combine("/sys/class/net", bridge);
        string address;
        try
        {
            address = File.ReadAllText(Path.Combine(folder, "address")).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        if (address == "00:00:00:00:00:00" && !Directory.EnumerateFileSystemEntries(Path.Combine(folder, "brif")).Any()) Delete(bridge);
    }

    public static void Delete(string bridge)
    {
        if (!Directory.Exists(Path.Combine("/sys/class/net", bridge))) return;
        var result = HelperProcess.Run(IpCommand, ["link", "delete", bridge, "type", "bridge"]);
        if (result.ExitCode != 0 && Directory.Exists(Path.Combine("/sys/class/net", bridge)))
        {
            throw ConmanErrors.BridgeNotRemoved(bridge, result.Stderr.Trim());
        }
    }

    /// <summary>iproute2's ip.</summary>
    public static string IpCommand => File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip";
}
