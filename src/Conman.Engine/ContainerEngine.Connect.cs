using Conman.Engine.Containers;
using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>
/// Connect-/Disconnect-ContainerNetwork: a network joined or left for good (the definition), and
/// at once when the container runs, in its namespace, with its exit plan written again so that
/// its shim undoes what it holds then.
/// </summary>
public sealed partial class ContainerEngine
{
    public ContainerSnapshot Connect(string idOrName, string network, IReadOnlyList<string>? aliases = null)
    {
        aliases ??= [];
        foreach (string alias in aliases)
        {
            if (!ContainerName.IsValid(alias)) throw ConmanErrors.InvalidNetworkMode(alias, "a network alias is a name as a container's");
        }
        var record = Store.Resolve(idOrName);
        using var _ = LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        var definition = DefinitionToChange(record);
        var target = _networks.ForUse(network == Definitions.NetworkConfig.BridgeMode ? NetworkStore.DefaultNetwork : network);
        if (definition.Network.Networks.Any(n => n.Network == target.Name)) throw ConmanErrors.AlreadyConnected(record.Name, target.Name);
        var join = new NetworkJoin { Network = target.Name };
        join.Aliases.AddRange(aliases);

        var changed = record.Clone();
        changed.Definition.Network.Networks.Add(join);
        if (Store.Inspect(record).State == ContainerState.Running) ConnectRunning(changed, target, join);
        Store.Save(changed);
        return Store.Inspect(changed);
    }

    public ContainerSnapshot Disconnect(string idOrName, string network)
    {
        var record = Store.Resolve(idOrName);
        using var _ = LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        var definition = DefinitionToChange(record);
        string name = network == Definitions.NetworkConfig.BridgeMode ? NetworkStore.DefaultNetwork : network;
        var join = definition.Network.Networks.FirstOrDefault(n => n.Network == name) ?? throw ConmanErrors.NotConnected(record.Name, name);

        var changed = record.Clone();
        changed.Definition.Network.Networks.Remove(changed.Definition.Network.Networks.First(n => n.Network == name));
        if (Store.Inspect(record).State == ContainerState.Running) DisconnectRunning(record, changed, name);
        Store.Save(changed);
        return Store.Inspect(changed);
    }

    private static ContainerDefinition DefinitionToChange(ContainerRecord record)
    {
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var definition = record.Definition;
        if (definition.Network.Mode != NetworkMode.Bridge)
        {
            throw ConmanErrors.InvalidNetworkMode(definition.Network.Mode == NetworkMode.Host ? "host" : "none",
                $"'{record.Name}' has no bridge networks to connect or disconnect");
        }
        return definition;
    }

    /// <summary>
    /// The network's plugins in the running container's namespace, on the next free ethN, and the
    /// published ports with it when no other network carries them (it was on none); then its
    /// hosts files, membership, network.pb and exit plan.
    /// </summary>
    private void ConnectRunning(ContainerRecord changed, NetworkRecord target, NetworkJoin join)
    {
        string id = changed.Id;
        var networking = RunNetworking(changed);
        var used = networking.Attachments.Select(a => a.Interface).ToHashSet();
        string interfaceName = Enumerable.Range(0, 64).Select(i => $"eth{i}").First(n => !used.Contains(n));
        var resources = new List<IHostResource>
        {
            new CniAttachment(networking, target, interfaceName, join.Aliases.ToList(), Layout.IpamFolder, Layout.CniResultPath(id, target.Name),
                _networks.ReadyForUse),
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
    private void DisconnectRunning(ContainerRecord record, ContainerRecord changed, string network)
    {
        string id = record.Id;
        var before = RunNetworking(record);
        if (!before.Attachments.Any(a => a.Network == network)) throw ConmanErrors.NotConnected(record.Name, network);
        // The network's own resources (and the ports' forwarding, if this network carries it), as the record before the change names them.
        var leaving = ResourcesOf(record, starting: false)
            .Where(r => r is CniAttachment a && a.Network == network || r is PortForwarding && PortForwarding.CarriedBy(Layout.PortForwardingPath(id)) == network)
            .ToList();
        NetworkHostsFiles.Leave(NetworkHostsFiles.MemberFile(Layout.MemberFolder(network), id));
        AcquiredResources.ReleaseAll(leaving, record.Name);

        var networking = RunNetworking(changed, without: network);
        if (networking.Ports.Count > 0 && PortForwarding.CarriedBy(Layout.PortForwardingPath(id)) is null
            && networking.Attachments.FirstOrDefault() is { } next && _networks.Find(next.Network) is { } carrier)
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
        var networks = changed.Definition.Network.Networks.Select(n => _networks.Find(n.Network)).OfType<NetworkRecord>()
            .Where(n => networking.Attachments.Any(a => a.Network == n.Name)).ToList();
        new NetworkMembership(networking, networks, Layout).Acquire();
        new NetworkStateFile(networking, Layout.NetworkStatePath(changed.Id)).Acquire();
        var resources = ResourcesOf(changed, starting: false);
        AtomicFile.Write(Layout.TeardownPath(changed.Id), AcquiredResources.PlanFor(resources));
    }
}
