using Conman.Engine.Containers;
using Conman.Engine.Definitions;
using Conman.Engine.Lifecycle;
using Conman.Engine.Networks;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>
/// The store's networks (New-, Get-, Remove-ContainerNetwork: docker network create, ls, rm) and
/// the containers' place on them (Connect-, Disconnect-ContainerNetwork: docker network connect,
/// disconnect), kept in the container's definition and, when it runs, made at once.
/// </summary>
public sealed class NetworkService
{
    private readonly EngineContext _context;
    private readonly RunningNetworks _running;
    private readonly ContainerRemover _remover;

    internal NetworkService(EngineContext context, RunningNetworks running, ContainerRemover remover)
    {
        _context = context;
        _running = running;
        _remover = remover;
    }

    private NetworkStore Networks => _context.Networks;
    private ContainerStore Store => _context.Store;

    public NetworkSnapshot Create(NetworkOptions options) =>
        HostIo.Guard($"Creating the network '{options.Name}'", options.Name, () => Snapshot(Networks.Create(options.RemoveWithSession
            ? options with { Labels = new Dictionary<string, string>(options.Labels ?? new Dictionary<string, string>()) { [SessionService.Label] = _context.TieToThisSession() } }
            : options)));

    public IReadOnlyList<NetworkSnapshot> List() => Networks.List().Select(Snapshot).ToList();

    public NetworkSnapshot Get(string name) => Snapshot(Networks.Get(name));

    /// <summary>The networks no container is on, but the default one (docker network prune's, podman's): what a prune removes.</summary>
    public IReadOnlyList<NetworkSnapshot> Unused() => List().Where(n => n.Containers.Count == 0 && n.Name != NetworkStore.DefaultNetwork).ToList();

    /// <summary>
    /// Removes a network: its bridge, its address allocations, its record. Refused while a
    /// container is on it, unless <paramref name="force"/>, which removes those containers
    /// first, as podman's network rm --force. The default network may go too once unused: it is
    /// made again when a container next needs it.
    /// </summary>
    public void Remove(string name, bool force) => HostIo.Guard($"Removing the network '{name}'", name, () => RemoveNetwork(name, force));

    private void RemoveNetwork(string name, bool force)
    {
        var network = Networks.Get(name);
        var users = ContainersOn(network.Name);
        if (users.Count > 0 && !force) throw ConmanErrors.NetworkInUse(network.Name, users);
        foreach (string container in users) _remover.Remove(container, force: true, removeVolumes: false);
        Networks.Delete(network);
    }

    /// <summary>The container joins the network from now on (docker network connect), at once if it runs.</summary>
    public ContainerSnapshot Connect(string container, string network, IReadOnlyList<string>? aliases = null) =>
        HostIo.Guard($"Connecting '{container}' to the network '{network}'", container, () => ConnectContainer(container, network, aliases));

    private ContainerSnapshot ConnectContainer(string container, string network, IReadOnlyList<string>? aliases)
    {
        aliases ??= [];
        foreach (string alias in aliases)
        {
            if (!ContainerName.IsValid(alias)) throw ConmanErrors.InvalidNetworkMode(alias, "a network alias is a name as a container's");
        }
        var (record, held) = _context.Locked(container);
        using (held)
        {
            var definition = DefinitionToChange(record);
            var target = Networks.ForUse(network == NetworkConfig.BridgeMode ? NetworkStore.DefaultNetwork : network);
            if (definition.Network.Networks.Any(n => n.Network == target.Name)) throw ConmanErrors.AlreadyConnected(record.Name, target.Name);
            var join = new NetworkJoin { Network = target.Name };
            join.Aliases.AddRange(aliases);

            var changed = record.Clone();
            changed.Definition.Network.Networks.Add(join);
            if (Store.Inspect(record).State == ContainerState.Running) _running.Connect(changed, target, join);
            Store.Save(changed);
            return Store.Inspect(changed);
        }
    }

    /// <summary>The container leaves the network (docker network disconnect), at once if it runs; its published ports go to its next network.</summary>
    public ContainerSnapshot Disconnect(string container, string network) =>
        HostIo.Guard($"Disconnecting '{container}' from the network '{network}'", container, () => DisconnectContainer(container, network));

    private ContainerSnapshot DisconnectContainer(string container, string network)
    {
        var (record, held) = _context.Locked(container);
        using (held)
        {
            var definition = DefinitionToChange(record);
            string name = network == NetworkConfig.BridgeMode ? NetworkStore.DefaultNetwork : network;
            _ = definition.Network.Networks.FirstOrDefault(n => n.Network == name) ?? throw ConmanErrors.NotConnected(record.Name, name);

            var changed = record.Clone();
            changed.Definition.Network.Networks.Remove(changed.Definition.Network.Networks.First(n => n.Network == name));
            if (Store.Inspect(record).State == ContainerState.Running) _running.Disconnect(record, changed, name);
            Store.Save(changed);
            return Store.Inspect(changed);
        }
    }

    private static ContainerDefinition DefinitionToChange(ContainerRecord record)
    {
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var definition = record.Definition;
        if (definition.Network.Mode != NetworkMode.Bridge)
        {
            throw ConmanErrors.InvalidNetworkMode(string.Join(",", NetworkConfig.From(definition.Network).Networks),
                $"'{record.Name}' has no bridge networks to connect or disconnect");
        }
        return definition;
    }

    private NetworkSnapshot Snapshot(NetworkRecord record) => NetworkSnapshot.From(record, ContainersOn(record.Name));

    private List<string> ContainersOn(string network) =>
        Store.LoadAll().Where(r => r.Definition?.Network.Networks.Any(n => n.Network == network) == true).Select(r => r.Name).ToList();
}
