using Conman.Engine.Runtime;

namespace Conman.Engine.Networks;

/// <summary>
/// A network's bridge on the host. The CNI bridge plugin makes it on the first container's ADD
/// and never deletes it (podman's cni-podman0 stays as well); it goes with its network.
/// </summary>
internal static class BridgeDevice
{
    public static void Delete(string bridge)
    {
        if (!Directory.Exists(Path.Combine("/sys/class/net", bridge))) return;
        var result = HelperProcess.Run(IpCommand, ["link", "delete", bridge, "type", "bridge"]);
        if (result.ExitCode != 0 && Directory.Exists(Path.Combine("/sys/class/net", bridge)))
        {
            throw new IOException($"Cannot delete the bridge {bridge}: {result.Stderr.Trim()}");
        }
    }

    private static string IpCommand => File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip";
}
