using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// A network joined or left by a running container, at once, in its namespace: the plugins, the
/// published ports that follow it, its hosts files, memberships, network.pb, and its exit plan
/// written again so that its shim undoes what it holds then. Under the container's lock.
/// </summary>
internal sealed class RunningNetworks(EngineContext context)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// The network's plugins in the running container's namespace, on the next free ethN, and the
    /// published ports with it when no other network carries them (it was on none); then its
    /// hosts files, membership, network.pb and exit plan.
    /// </summary>
    public void Connect(ContainerRecord changed, NetworkRecord target, NetworkJoin join)
    {
        string id = changed.Id;
        var networking = RunNetworking(changed);
        var used = networking.Attachments.Select(a => a.Interface).ToHashSet();
        string interfaceName = Enumerable.Range(0, 64).Select(i => $"eth{i}").First(n => !used.Contains(n));
        var resources = new List<IHostResource>
        {
            new CniAttachment(networking, target, interfaceName, join.Aliases.ToList(), Layout.IpamFolder, Layout.CniResultPath(id, target.Name),
                context.Networks.ReadyForUse),
        };
        if (PortForwarding.CarriedBy(Layout.PortForwardingPath(id)) is null) resources.Add(NetworkResources.Ports(networking, target, interfaceName, Layout));
        var acquired = AcquiredResources.Acquire(resources, changed.Name);
        try
        {
            RewriteRunState(changed, networking);
        }
        catch
        {
            acquired.Unwind();
            throw;
        }
    }

    /// <summary>
    /// The network's plugins undone in the running container's namespace (its published ports
    /// first when it carried them, which then go to the first network left); then its hosts
    /// files, membership, network.pb and exit plan.
    /// </summary>
    public void Disconnect(ContainerRecord record, ContainerRecord changed, string network)
    {
        string id = record.Id;
        var before = RunNetworking(record);
        if (!before.Attachments.Any(a => a.Network == network)) throw ConmanErrors.NotConnected(record.Name, network);
        // The network's own resources (and the ports' forwarding, if this network carries it), as the record before the change names them.
        var leaving = context.ResourcesOf(record, starting: false)
            .Where(r => r is CniAttachment a && a.Network == network || r is PortForwarding && PortForwarding.CarriedBy(Layout.PortForwardingPath(id)) == network)
            .ToList();
        NetworkHostsFiles.Leave(NetworkHostsFiles.MemberFile(Layout.MemberFolder(network), id));
        AcquiredResources.ReleaseAll(leaving, record.Name);

        var networking = RunNetworking(changed, without: network);
        if (networking.Ports.Count > 0 && PortForwarding.CarriedBy(Layout.PortForwardingPath(id)) is null
            && networking.Attachments.FirstOrDefault() is { } next && context.Networks.Find(next.Network) is { } carrier)
        {
            AcquiredResources.Acquire([NetworkResources.Ports(networking, carrier, next.Interface, Layout)], changed.Name);
        }
        RewriteRunState(changed, networking);
    }

    /// <summary>What the running container's networks are now, from network.pb (less <paramref name="without"/>).</summary>
    private ContainerNetworking RunNetworking(ContainerRecord record, string? without = null)
    {
        var state = NetworkResources.RunState(Layout.NetworkStatePath(record.Id)) ?? new NetworkState();
        var networking = ContainerResources.Networking(record, Layout);
        networking.Attachments.AddRange(state.Attachments.Where(a => a.Network != without));
        networking.Ports.AddRange(state.Ports);
        return networking;
    }

    /// <summary>
    /// After a network joined or left a running container: its own hosts file (its addresses now),
    /// the memberships of its networks whose names resolve (which rewrite its neighbours' files and
    /// its own with them), network.pb, and the exit plan the shim reads again at exit.
    /// </summary>
    private void RewriteRunState(ContainerRecord changed, ContainerNetworking networking)
    {
        ResolverFiles.RewriteHosts(networking, Layout.HostsPath(changed.Id));
        var networks = changed.Definition.Network.Networks.Select(n => context.Networks.Find(n.Network)).OfType<NetworkRecord>()
            .Where(n => networking.Attachments.Any(a => a.Network == n.Name)).ToList();
        new NetworkMembership(networking, networks, Layout).Acquire();
        new NetworkStateFile(networking, Layout.NetworkStatePath(changed.Id)).Acquire();
        var resources = context.ResourcesOf(changed, starting: false);
        AtomicFile.Write(Layout.TeardownPath(changed.Id), AcquiredResources.PlanFor(resources));
    }
}
