using Conman.Engine.Networks;

namespace Conman.Engine;

/// <summary>The store's networks: New-, Get- and Remove-ContainerNetwork.</summary>
public sealed partial class ContainerEngine
{
    public NetworkSnapshot CreateNetwork(NetworkOptions options) => Snapshot(_networks.Create(options));

    public IReadOnlyList<NetworkSnapshot> ListNetworks() => _networks.List().Select(Snapshot).ToList();

    public NetworkSnapshot GetNetwork(string name) => Snapshot(_networks.Get(name));

    /// <summary>
    /// Removes a network: its bridge, its address allocations, its record. Refused while a
    /// container is on it, unless <paramref name="force"/>, which removes those containers
    /// first, as podman's network rm --force. The default network may go too once unused: it is
    /// made again when a container next needs it.
    /// </summary>
    public void RemoveNetwork(string name, bool force)
    {
        var network = _networks.Get(name);
        var users = ContainersOn(network.Name);
        if (users.Count > 0 && !force) throw ConmanErrors.NetworkInUse(network.Name, users);
        foreach (string container in users) Remove(container, force: true);
        _networks.Delete(network);
    }

    private NetworkSnapshot Snapshot(Protocol.NetworkRecord record) => NetworkSnapshot.From(record, ContainersOn(record.Name));

    private List<string> ContainersOn(string network) =>
        Store.LoadAll().Where(r => r.Definition?.Network.Networks.Any(n => n.Network == network) == true).Select(r => r.Name).ToList();
}
