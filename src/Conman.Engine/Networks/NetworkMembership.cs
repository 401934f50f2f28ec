using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The container as a member of its networks whose names resolve: one member file per such
/// network, and every member's hosts file rewritten (<see cref="NetworkHostsFiles"/>). Left at
/// exit by the shim, which rewrites the others' hosts files without the container.
/// </summary>
internal sealed class NetworkMembership(ContainerNetworking networking, IReadOnlyList<NetworkRecord> networks, StoreLayout layout) : IHostResource
{
    private IReadOnlyList<NetworkRecord> Resolving => networks.Where(n => n.NamesResolve).ToList();

    public void Acquire()
    {
        var resolving = Resolving;
        if (resolving.Count == 0) return;
        var folders = resolving.Select(n => layout.MemberFolder(n.Name)).ToList();
        foreach (var network in resolving)
        {
            var attachment = networking.Attachments.First(a => a.Network == network.Name);
            string folder = layout.MemberFolder(network.Name);
            StoreFolders.Create(folder, Native.FileModes.OwnerOnlyFolder);
            var member = new NetworkHostsFiles.Member(networking.ContainerId, layout.HostsPath(networking.ContainerId),
                ResolverFiles.AddressOnly(attachment.Address), networking.NamesOn(attachment), folders, ResolverFiles.OwnEntries(networking));
            AtomicFile.Write(NetworkHostsFiles.MemberFile(folder, networking.ContainerId), NetworkHostsFiles.Encode(member));
        }
        NetworkHostsFiles.Joined(folders);
    }

    public IEnumerable<TeardownStep> Undo => Resolving.Select(n => new TeardownStep { LeaveNetwork = MemberFile(n) }).ToList();

    private string MemberFile(NetworkRecord network) => NetworkHostsFiles.MemberFile(layout.MemberFolder(network.Name), networking.ContainerId);
}
