using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>What a container joining another's network (-Network container:&lt;name&gt;) needs of that one.</summary>
/// <param name="Readable">Its record reads: a damaged one's mode is not known, and it is never started.</param>
internal sealed record NetworkOwner(string Id, string Name, NetworkMode Mode, bool Running, bool Readable = true);

/// <summary>
/// A container on another's network namespace (Docker's -Network container:&lt;name&gt;): a resource
/// it uses and does not own. It acquires nothing on the host and undoes nothing: the namespace,
/// its networks and ports, and the /etc/hosts, hostname and resolv.conf it shares are the owner's,
/// which the dependents index keeps from going while it runs (<see cref="Containers.Dependents"/>).
/// Its start needs the owner running, as Docker's does.
/// </summary>
internal sealed class JoinedNetwork(string joiner, NetworkOwner? owner, string ownerId, StoreLayout layout) : IHostResource
{
    public void Acquire()
    {
        if (owner is null) throw ConmanErrors.NetworkOwnerGone(joiner, ownerId);
        if (!owner.Readable) throw ConmanErrors.ContainerRecordUnreadable(owner.Name);
        if (!owner.Running) throw ConmanErrors.NetworkOwnerNotRunning(joiner, owner.Name);
    }

    public IEnumerable<TeardownStep> Undo => [];

    /// <summary>The owner's namespace (the host's, when the owner is on it) and the owner's files.</summary>
    public IEnumerable<SpecOption> SpecOptions =>
    [
        owner?.Mode == NetworkMode.Host ? Spec.SpecOptions.WithHostNetwork() : Spec.SpecOptions.WithNetworkNamespace(layout.NetworkNamespacePath(ownerId)),
        Spec.SpecOptions.WithNetworkFiles(new(layout.HostsPath(ownerId), layout.HostnamePath(ownerId), layout.ResolvConfPath(ownerId))),
    ];
}
