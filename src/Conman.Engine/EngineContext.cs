using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Engine.Shim;
using Conman.Engine.Volumes;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>
/// What every service of the engine works on: the store's layout and its records, runc and the
/// shim, the image, network and volume stores, the index of dependents, and each container's lock.
/// One per engine; the services hold it and nothing else of each other's state.
/// </summary>
/// <remarks>
/// Locks, in the order they may be taken (a lock is never waited for while one later in this list
/// is held), so that sessions cannot deadlock:
/// <list type="number">
/// <item>content.lock (shared by imports, pulls, commits and builds; garbage collection only tries it)</item>
/// <item>names.lock (a create, until its record is written)</item>
/// <item>images.lock (image records)</item>
/// <item>a container's lock: one at a time, except a create of a container joining another's
/// network, which holds its owner's (the new container has no lock yet)</item>
/// <item>volumes.lock</item>
/// <item>the id range claims' lock (user namespaces)</item>
/// <item>networks.lock, then the subnet claims' or the firewall claims' lock</item>
/// <item>the plugins' host-wide cni.lock</item>
/// <item>the members' hosts.lock</item>
/// </list>
/// </remarks>
internal sealed class EngineContext
{
    private readonly Lazy<RuncRuntime> _runtime;
    private readonly Lazy<ShimLauncher> _shim;
    private readonly Lazy<ImageManager> _images;

    internal EngineContext(StoreLayout layout)
    {
        if (LibC.geteuid() != 0) throw ConmanErrors.RootRequired(layout.Root);
        layout.VerifyTrusted();
        Layout = layout;
        Store = new ContainerStore(layout);
        _runtime = new Lazy<RuncRuntime>(() => new RuncRuntime(RuncRuntime.Locate(), layout.RuntimeRoot));
        _shim = new Lazy<ShimLauncher>(() => new ShimLauncher(ShimLauncher.Locate()));
        _images = new Lazy<ImageManager>(() => new ImageManager(layout));
        Networks = new NetworkStore(layout);
        Volumes = new VolumeStore(layout);
        Dependents = new Dependents(layout, Store);
        SessionReaper = new Sessions.SessionReaper(layout, () => Shim.ShimPath);
    }

    /// <summary>The reaper of this session's resources (-RemoveWithSession), started with the first.</summary>
    public Sessions.SessionReaper SessionReaper { get; }

    /// <summary>The label value that ties a new resource to this session; the session's reaper runs from then on.</summary>
    public string TieToThisSession()
    {
        SessionReaper.EnsureRunning();
        return Sessions.SessionId.Current.ToString();
    }

    public StoreLayout Layout { get; }
    public ContainerStore Store { get; }
    /// <summary>runc, found at first use: a missing runc fails what needs it, not the engine's making.</summary>
    public RuncRuntime Runtime => _runtime.Value;
    public ShimLauncher Shim => _shim.Value;
    public ImageManager Images => _images.Value;
    public NetworkStore Networks { get; }
    public VolumeStore Volumes { get; }
    public Dependents Dependents { get; }

    /// <summary>The container's lock, which serialises changes to it between sessions.</summary>
    /// <param name="idOrName">As the caller named it, for the error when the container went meanwhile.</param>
    public FileLock LockContainer(string id, string idOrName)
    {
        try
        {
            return FileLock.Acquire(Layout.LockPath(id), create: false);
        }
        catch (ConmanException e) when (e.ErrorId == ErrorIds.LockUnavailable)
        {
            // The folder went away: another session removed the container.
            throw ConmanErrors.ContainerNotFound(idOrName);
        }
    }

    /// <summary>The container's record as it is once its lock is held (another session may have changed it meanwhile); the caller disposes the lock.</summary>
    public (ContainerRecord Record, FileLock Lock) Locked(string idOrName)
    {
        var found = Store.Resolve(idOrName);
        var held = LockContainer(found.Id, idOrName);
        try
        {
            return (Store.Load(found.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName), held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>The host resources of a start of the container (<paramref name="starting"/>), or those a removal or a rewrite finds.</summary>
    public IReadOnlyList<IHostResource> ResourcesOf(ContainerRecord record, bool starting, ContainerNetworking? networking = null) =>
        ContainerResources.For(record, Layout, Images, Networks, NetworkOwnerOf, networking ?? ContainerResources.Networking(record, Layout), starting);

    /// <summary>What a container joining <paramref name="id"/>'s network needs of it; null when it is gone.</summary>
    private NetworkOwner? NetworkOwnerOf(string id) => Store.Load(id) switch
    {
        null => null,
        var owner when ContainerStore.Unreadable(owner) => new(owner.Id, owner.Name, NetworkMode.Bridge, Running: false, Readable: false),
        var owner => new(owner.Id, owner.Name, owner.Definition.Network.Mode, Store.Inspect(owner).State == ContainerState.Running),
    };
}
