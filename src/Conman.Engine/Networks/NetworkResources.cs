using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The host resources of a container's networking, in the order a start acquires them: its
/// namespace, the ports it publishes (checked before any plugin runs), each network's plugins,
/// its /etc files, its membership of networks whose names resolve, and network.pb.
/// </summary>
internal static class NetworkResources
{
    /// <param name="starting">A start: the default network is made if it went, and a missing network is an error. Otherwise
    /// (Remove, an unreadable record) what can be found is released.</param>
    /// <param name="owners">The container whose network a joiner joins, by id; null when it is gone.</param>
    public static IEnumerable<IHostResource> For(ContainerDefinition? definition, ContainerNetworking networking, StoreLayout layout,
        NetworkStore store, Func<string, NetworkOwner?> owners, bool starting)
    {
        var mode = definition?.Network.Mode ?? NetworkMode.Bridge;
        if (mode == NetworkMode.Container)
        {
            yield return new JoinedNetwork(networking.Name, owners(definition!.Network.Container), definition.Network.Container, layout);
            yield break;
        }
        if (mode == NetworkMode.Host)
        {
            yield return Files(networking, mode, layout);
            yield break;
        }
        yield return new NetworkNamespace(networking, madeWithUserNamespace: definition?.Security is { UidMappings.Count: > 0 }, definition?.Security.GidMappings);
        if (mode == NetworkMode.None)
        {
            yield return Files(networking, mode, layout);
            yield break;
        }
        var joins = definition?.Network.Networks.ToList() ?? [];
        // What a run left on a network its definition no longer names (one disconnected while its
        // shim was dead, a connect killed halfway) is released too: the plugins' result files say which.
        if (!starting) joins.AddRange(Joined(layout, networking.ContainerId).Where(left => !joins.Any(j => j.Network == left.Network)));
        // What is undone is what the run set up: the host ports it chose and the interfaces it
        // named are in network.pb (networks connected later took the next free names).
        var run = starting ? null : RunState(layout.NetworkStatePath(networking.ContainerId));
        if (!starting) networking.Ports.AddRange(run?.Ports.ToList() ?? definition?.Network.Ports.ToList() ?? []);
        var networks = new List<(NetworkJoin Join, NetworkRecord Record)>();
        foreach (var join in joins)
        {
            var record = starting ? store.ForUse(join.Network) : store.Find(join.Network);
            if (record is not null) networks.Add((join, record));
        }
        // Nothing is published into an internal network (create refuses it; a disconnect may make one first), as Docker's.
        if (starting) yield return new PublishedPorts(networking, networks is [{ Record.Internal: true }, ..] ? [] : definition?.Network.Ports.ToList() ?? []);
        for (int i = 0; i < networks.Count; i++)
        {
            var (join, record) = networks[i];
            yield return new CniAttachment(networking, record, InterfaceOf(run, record, i, layout, networking.ContainerId), join.Aliases.ToList(), layout.IpamFolder,
                layout.CniResultPath(networking.ContainerId, record.Name), store.ReadyForUse);
        }
        // The ports go to the first network, as Docker forwards them to one address; a removal finds where they went in ports.json.
        string? carrier = starting ? networks.FirstOrDefault().Record?.Name : PortForwarding.CarriedBy(layout.PortForwardingPath(networking.ContainerId));
        if (networks.FirstOrDefault(n => n.Record.Name == carrier) is { Record: not null } carrying)
        {
            yield return Ports(networking, carrying.Record, InterfaceOf(run, carrying.Record, networks.IndexOf(carrying), layout, networking.ContainerId), layout);
        }
        else if (!starting && File.Exists(layout.PortForwardingPath(networking.ContainerId)))
        {
            // Its network is gone: what is kept still names it, and its DEL needs nothing else.
            yield return Ports(networking, new NetworkRecord { Name = carrier ?? "" }, "eth0", layout);
        }
        yield return Files(networking, mode, layout);
        yield return new NetworkMembership(networking, networks.Select(n => n.Record).ToList(), layout);
        yield return new NetworkStateFile(networking, layout.NetworkStatePath(networking.ContainerId));
    }

    /// <summary>The forwarding of the container's published ports to its address on <paramref name="network"/>.</summary>
    public static PortForwarding Ports(ContainerNetworking networking, NetworkRecord network, string interfaceName, StoreLayout layout) =>
        new(networking, network, interfaceName, layout.CniResultPath(networking.ContainerId, network.Name), layout.PortForwardingPath(networking.ContainerId));

    /// <summary>
    /// What the run named the network's interface (networks connected later took the next free
    /// names), as network.pb or the plugins' result says; else eth and its place.
    /// </summary>
    private static string InterfaceOf(NetworkState? run, NetworkRecord network, int index, StoreLayout layout, string containerId) =>
        run?.Attachments.FirstOrDefault(a => a.Network == network.Name)?.Interface
            ?? CniAttachment.InterfaceIn(layout.CniResultPath(containerId, network.Name)) ?? $"eth{index}";

    /// <summary>network.pb of the current or last run; null when there is none whole.</summary>
    public static NetworkState? RunState(string statePath)
    {
        try
        {
            return NetworkState.Parser.ParseFrom(File.ReadAllBytes(statePath));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static ResolverFiles Files(ContainerNetworking networking, NetworkMode mode, StoreLayout layout) =>
        new(networking, mode, layout.HostsPath(networking.ContainerId), layout.HostnamePath(networking.ContainerId),
            layout.ResolvConfPath(networking.ContainerId));

    /// <summary>The networks whose plugins' results the container still has: what a run may have left on them.</summary>
    private static List<NetworkJoin> Joined(StoreLayout layout, string containerId)
    {
        string folder = layout.ContainerFolder(containerId);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "cni-*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)["cni-".Length..])
            .Select(n => new NetworkJoin { Network = n }).ToList();
    }
}
