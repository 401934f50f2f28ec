using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// The user namespace a container with maps runs in, made before runc runs and kept on a file
/// under the run folder (runc joins it by path), with, for a container on networks, its network
/// namespace made in it at once: the network's plugins set up a namespace that runc's processes,
/// inside the user namespace, may then join (<see cref="UserNamespaceHelper"/> says why).
/// </summary>
/// <param name="networkNamespace">Where the network namespace is kept (the one <see cref="NetworkNamespace"/>
/// then finds made, with its networks or with loopback only); null on the host's network.</param>
internal sealed class ContainerUserNamespace(string file, IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids, string? networkNamespace)
    : IHostResource
{
    public void Acquire()
    {
        HostUndo.Run(Undo, Path.GetFileName(file));
        try
        {
            NamespaceFile.MakeMountPoint(file);
            if (networkNamespace is not null) NamespaceFile.MakeMountPoint(networkNamespace);
            using (var helper = UserNamespaceHelper.Start(uids, gids, withNetwork: networkNamespace is not null, file))
            {
                helper.Bind("user", file);
                if (networkNamespace is not null) helper.Bind("net", networkNamespace);
            }
            if (networkNamespace is not null) NetworkNamespace.BringUpLoopback(networkNamespace);
        }
        catch
        {
            // Not yet among the start's acquired resources: its own undoing is its own.
            HostUndo.Run(Undo, Path.GetFileName(file));
            throw;
        }
    }

    /// <summary>
    /// The network namespace made with it (which <see cref="NetworkNamespace"/> undoes too, as a
    /// network namespace: kept while a DEL that failed needs it), then the user namespace's file.
    /// </summary>
    /// <summary>runc joins it by its file, with the maps it has.</summary>
    public IEnumerable<Spec.SpecOption> SpecOptions => [Spec.SpecOptions.WithUserNamespace(file, uids, gids)];

    public IEnumerable<TeardownStep> Undo =>
        [.. networkNamespace is null ? [] : new[] { new TeardownStep { NetworkNamespace = networkNamespace } }, new TeardownStep { NamespaceFile = file }];
}
