using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Lifecycle;
using Conman.Engine.Networks;
using Conman.Engine.Sessions;
using Conman.Engine.Volumes;

namespace Conman.Engine;

/// <summary>
/// Conman's engine for one store, with no PowerShell in it: a service per domain over one
/// context (<see cref="EngineContext"/>, which also writes down the order locks are taken in).
/// What the cmdlets do, a C# caller does through these.
/// </summary>
public sealed class ContainerEngine
{
    private readonly EngineContext _context;

    internal ContainerEngine(StoreLayout layout)
    {
        _context = new EngineContext(layout);
        var specs = new RunSpecs(_context);
        var volumes = new ContainerVolumes(_context);
        var ended = new EndedRuns(_context);
        var stopper = new ContainerStopper(_context);
        var remover = new ContainerRemover(_context, stopper, ended, volumes);
        Containers = new ContainerService(_context, new ContainerCreator(_context, volumes), new ContainerStarter(_context, specs, stopper, ended, volumes),
            stopper, remover, new ExecLauncher(_context, specs), new ContainerCgroups(_context, specs), ended);
        Networks = new NetworkService(_context, new RunningNetworks(_context), remover);
        Volumes = new VolumeService(_context, volumes);
        Files = new FileService(_context);
        Builds = new BuildService(this, _context);
        Sessions = new SessionService(this, _context.SessionReaper);
    }

    /// <summary>The engine of the store <c>$env:CONMAN_ROOT</c> names (default /var/lib/conman); root only.</summary>
    public static ContainerEngine FromEnvironment() => new(StoreLayout.FromEnvironment());

    /// <summary>Create, start, stop, remove, wait for, exec into, update and list containers.</summary>
    public ContainerService Containers { get; }

    /// <summary>Pull, import, push, export, tag and remove images.</summary>
    public ImageManager Images => _context.Images;

    /// <summary>Bridge networks, and the containers' place on them.</summary>
    public NetworkService Networks { get; }

    /// <summary>Named and anonymous volumes.</summary>
    public VolumeService Volumes { get; }

    /// <summary>Files copied in and out of containers, and what a container changed.</summary>
    public FileService Files { get; }

    /// <summary>Images built from Containerfiles and committed from containers.</summary>
    public BuildService Builds { get; }

    /// <summary>Containers, networks and volumes tied to the session that made them (-RemoveWithSession), and their removal once it ends.</summary>
    public SessionService Sessions { get; }

    /// <summary>What the store holds and what runs it (docker system df and info).</summary>
    public Runtime.StoreUsage Usage() => HostIo.Guard("Reading the store's usage", _context.Layout.Root, () => Runtime.StoreUsage.Read(this, _context.Layout));

    internal StoreLayout Layout => _context.Layout;
    internal ContainerStore Store => _context.Store;
}
