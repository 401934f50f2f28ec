using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The container's network namespace, made before runc runs so that its networks can be set up
/// before the container's process starts: a namespace bind-mounted on a file under the run
/// folder (its path goes in the spec). util-linux's unshare makes it, in a process of its own:
/// unshare(CLONE_NEWNET) changes only the calling thread, and .NET's threads are not ours to change.
/// It runs `ip link set lo up` in the new namespace as it makes it: runc brings up no interface in
/// a namespace it joins, and one process is cheaper than the loopback plugin's second.
/// </summary>
/// <param name="madeWithUserNamespace">A container with its own user namespace has its network
/// namespace made in it, with it (<see cref="UserNamespaces.ContainerUserNamespace"/>), before this
/// is acquired: then only its undoing is this one's.</param>
/// <param name="gidMappings">The container's gid map, if it has a user namespace: ping's group range may name only mapped groups.</param>
internal sealed class NetworkNamespace(ContainerNetworking networking, bool madeWithUserNamespace = false, IReadOnlyList<IdMapping>? gidMappings = null)
    : IHostResource
{
    private string Path => networking.NamespacePath;

    public void Acquire()
    {
        if (madeWithUserNamespace)
        {
            if (!MountTable.IsMounted(Path)) throw ConmanErrors.NetworkSetupFailed("(namespace)", networking.Name, "its user namespace did not make it");
            return;
        }
        // A file left by a start killed halfway may still be a mount: undo it first.
        HostUndo.Run(Undo, networking.Name);
        NamespaceFile.MakeMountPoint(Path);
        var result = HelperProcess.Run(UnshareCommand, [$"--net={Path}", BridgeDevice.IpCommand, "link", "set", "lo", "up"]);
        if (result.ExitCode != 0)
        {
            throw ConmanErrors.NetworkSetupFailed("(namespace)", networking.Name, $"unshare: {result.Stderr.Trim()}");
        }
    }

    /// <summary>`ip link set lo up` in a namespace made by another process than unshare --net (see the summary).</summary>
    public static void BringUpLoopback(string path)
    {
        var result = HelperProcess.Run(File.Exists("/usr/bin/nsenter") ? "/usr/bin/nsenter" : "/bin/nsenter",
            [$"--net={path}", BridgeDevice.IpCommand, "link", "set", "lo", "up"]);
        if (result.ExitCode != 0) throw ConmanErrors.NetworkSetupFailed("(namespace)", System.IO.Path.GetFileName(path), $"nsenter: {result.Stderr.Trim()}");
    }

    public IEnumerable<TeardownStep> Undo => [new TeardownStep { NetworkNamespace = Path }];

    /// <summary>runc joins it rather than making an empty one; ping works there without CAP_NET_RAW, as Docker sets it.</summary>
    public IEnumerable<Spec.SpecOption> SpecOptions =>
        [Spec.SpecOptions.WithNetworkNamespace(Path), Spec.SpecOptions.WithUnprivilegedPing(gidMappings ?? [])];

    private static string UnshareCommand => File.Exists("/usr/bin/unshare") ? "/usr/bin/unshare" : "/bin/unshare";
}
