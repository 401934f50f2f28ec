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
        var target = _networks.ForUse(network == NetworkDefinitions.BridgeMode ? NetworkStore.DefaultNetwork : network);
        if (definition.Networks.Any(n => n.Network == target.Name)) throw ConmanErrors.AlreadyConnected(record.Name, target.Name);
        var join = new NetworkJoin { Network = target.Name };
        join.Aliases.AddRange(aliases);

        var changed = record.Clone();
        changed.Definition.Networks.Add(join);
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
        string name = network == NetworkDefinitions.BridgeMode ? NetworkStore.DefaultNetwork : network;
        var join = definition.Networks.FirstOrDefault(n => n.Network == name) ?? throw ConmanErrors.NotConnected(record.Name, name);

        var changed = record.Clone();
        changed.Definition.Networks.Remove(changed.Definition.Networks.First(n => n.Network == name));
        if (Store.Inspect(record).State == ContainerState.Running) DisconnectRunning(record, changed, name);
        Store.Save(changed);
        return Store.Inspect(changed);
    }

    private static ContainerDefinition DefinitionToChange(ContainerRecord record)
    {
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var definition = record.Definition;
        if (definition.NetworkMode != NetworkMode.Bridge)
        {
            throw ConmanErrors.InvalidNetworkMode(definition.NetworkMode == NetworkMode.Host ? "host" : "none",
                $"'{record.Name}' has no bridge networks to connect or disconnect");
        }
        return definition;
    }

    /// <summary>The network's plugins in the running container's namespace, on the next free ethN; then its membership, network.pb and exit plan.</summary>
    private void ConnectRunning(ContainerRecord changed, NetworkRecord target, NetworkJoin join)
    {
        string id = changed.Id;
        var state = NetworkResources.RunState(Layout.NetworkStatePath(id)) ?? new NetworkState();
        var networking = ContainerResources.Networking(changed, Layout);
        networking.Attachments.AddRange(state.Attachments);
        networking.Ports.AddRange(state.Ports);
        var used = state.Attachments.Select(a => a.Interface).ToHashSet();
        string interfaceName = Enumerable.Range(0, 64).Select(i => $"eth{i}").First(n => !used.Contains(n));
        var attachment = new CniAttachment(networking, target, interfaceName, join.Aliases.ToList(), publishesPorts: false, Layout.IpamFolder,
            Layout.CniResultPath(id, target.Name), _networks.ReadyForUse);
        AcquiredResources.Acquire([attachment]);
        try
        {
            RewriteRunState(changed, networking);
        }
        catch
        {
            AcquiredResources.ReleaseAll([attachment]);
            throw;
        }
    }

    private void DisconnectRunning(ContainerRecord record, ContainerRecord changed, string network)
    {
        string id = record.Id;
        var state = NetworkResources.RunState(Layout.NetworkStatePath(id)) ?? new NetworkState();
        if (!state.Attachments.Any(a => a.Network == network)) throw ConmanErrors.NotConnected(record.Name, network);
        // The network's own resources, as the record before the change names them.
        var leaving = ContainerResources.For(record, Layout, Images, _networks, ContainerResources.Networking(record, Layout), starting: false)
            .Where(r => r is CniAttachment a && a.Network == network).ToList();
        var memberFile = NetworkHostsFiles.MemberFile(Layout.MemberFolder(network), id);
        NetworkHostsFiles.Leave(memberFile);
        AcquiredResources.ReleaseAll(leaving);
        var networking = ContainerResources.Networking(changed, Layout);
        networking.Attachments.AddRange(state.Attachments.Where(a => a.Network != network));
        networking.Ports.AddRange(state.Ports);
        RewriteRunState(changed, networking);
    }

    /// <summary>
    /// After a network joined or left a running container: the memberships of its networks whose
    /// names resolve, network.pb, and the exit plan the shim reads again at exit.
    /// </summary>
    private void RewriteRunState(ContainerRecord changed, ContainerNetworking networking)
    {
        var networks = changed.Definition.Networks.Select(n => _networks.Find(n.Network)).OfType<NetworkRecord>()
            .Where(n => networking.Attachments.Any(a => a.Network == n.Name)).ToList();
        new NetworkMembership(networking, networks, Layout).Acquire();
        new NetworkStateFile(networking, Layout.NetworkStatePath(changed.Id)).Acquire();
        var resources = ContainerResources.For(changed, Layout, Images, _networks, ContainerResources.Networking(changed, Layout), starting: false);
        AtomicFile.Write(Layout.TeardownPath(changed.Id), AcquiredResources.PlanFor(resources));
    }
}
