using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Logs;
using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Engine.Shim;
using Conman.Engine.Spec;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine;

/// <summary>
/// The whole container lifecycle, with no PowerShell in it: what the cmdlets do, a C# caller can
/// do. Creates, starts and removals happen under the container's lock, so concurrent sessions
/// serialise; stops and signals go to the container's shim, which owns its runs.
/// </summary>
public sealed partial class ContainerEngine
{
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);
    /// <summary>Past the shim's own bound on flushing its clients the exit (2 s), with room.</summary>
    private static readonly TimeSpan ShimFinishWait = TimeSpan.FromSeconds(5);

    private readonly Lazy<RuncRuntime> _runtime;
    private readonly Lazy<ShimLauncher> _shim;
    private readonly Lazy<ImageManager> _images;
    private readonly NetworkStore _networks;
    private readonly Volumes.VolumeStore _volumes;
    private readonly Dependents _dependents;

    internal ContainerEngine(StoreLayout layout)
    {
        if (LibC.geteuid() != 0) throw ConmanErrors.RootRequired(layout.Root);
        layout.VerifyTrusted();
        Layout = layout;
        Store = new ContainerStore(layout);
        _runtime = new Lazy<RuncRuntime>(() => new RuncRuntime(RuncRuntime.Locate(), layout.RuntimeRoot));
        _shim = new Lazy<ShimLauncher>(() => new ShimLauncher(ShimLauncher.Locate()));
        _images = new Lazy<ImageManager>(() => new ImageManager(layout));
        _networks = new NetworkStore(layout);
        _volumes = new Volumes.VolumeStore(layout);
        _dependents = new Dependents(layout, Store);
    }

    public static ContainerEngine FromEnvironment() => new(StoreLayout.FromEnvironment());

    internal StoreLayout Layout { get; }
    internal ContainerStore Store { get; }
    private RuncRuntime Runtime => _runtime.Value;
    public ImageManager Images => _images.Value;

    public IReadOnlyList<ContainerSnapshot> List() => Store.LoadAll().Select(Store.Inspect).OrderBy(c => c.CreatedAt).ToList();

    public ContainerSnapshot Get(string idOrName) => Store.Inspect(Store.Resolve(idOrName));

    /// <summary>Every container's name, without deriving any state (for completion).</summary>
    public IEnumerable<string> Names() => Store.LoadAll().Select(r => r.Name);

    public ContainerSnapshot Create(ContainerOptions options)
    {
        if ((options.RootFs is null) == (options.Image is null)) throw ConmanErrors.RootFsOrImageRequired(options.Name);
        ContainerDefinitions.ValidateStoreRoot(Layout.Root);
        var image = options.Image is { } reference ? Images.GetRecord(reference) : null;
        var definition = ContainerDefinitions.Resolve(options, image, () => Images.TreesOf(image!.Layers.Select(l => l.ChainId)));
        _ = Runtime; // fail before writing anything when runc is missing
        // Each named network exists (the default one is made on first use, as podman's).
        Definitions.NetworkConfig.CheckPublished(definition.Network, definition.Network.Networks.Select(j => _networks.ForUse(j.Network)).ToList());
        var networkOwner = definition.Network.Mode == NetworkMode.Container ? NamespaceOwner(definition.Network.Container) : null;
        if (networkOwner is not null)
        {
            definition.Network.Container = networkOwner.Id;
            // As Docker's: the hostname is the one of the container whose network (and /etc/hostname) it shares.
            definition.Process.Hostname = networkOwner.Definition.Process.Hostname;
        }

        Layout.EnsureCreated();
        string id = ContainerName.NewId();
        if (definition.Process.Hostname.Length == 0) definition.Process.Hostname = id[..12];
        var record = new ContainerRecord { Id = id, CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow), Definition = definition, Format = ContainerStore.RecordFormat };

        using (FileLock.Acquire(Layout.NamesLock, create: true))
        // Held so that an image removed meanwhile cannot take the snapshots this container stacks.
        using (image is null ? null : Images.LockRecords())
        // Held so that a volume this container names cannot be removed before its record says so.
        using (definition.Storage.NamedVolumes.Count == 0 ? null : _volumes.Lock())
        {
            if (image is not null && !Images.HasSnapshots(definition.Snapshots)) throw ConmanErrors.ImageNotFound(options.Image!);
            var names = Store.LoadAll().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            string name = options.Name ?? GenerateUnusedName(names);
            if (names.Contains(name)) throw ConmanErrors.ContainerNameInUse(name);
            record.Name = name;
            // Held until the record is written: until then this container's claim looks stale to others.
            using var idRanges = definition.Security.UidMappings.Count > 0 || definition.Security.UserNamespaceAuto ? UserNamespaces.IdRangeClaims.Lock() : null;
            // Held until the dependents index names this container, so that the owner cannot be removed meanwhile.
            using var ownerLock = networkOwner is null ? null : LockContainer(networkOwner.Id, networkOwner.Name);
            if (networkOwner is not null && Store.Load(networkOwner.Id) is null) throw ConmanErrors.ContainerNotFound(networkOwner.Name);
            var madeVolumes = MakeVolumesFor(definition);
            string folder = Layout.ContainerFolder(id);
            try
            {
                if (definition.Security.UserNamespaceAuto)
                {
                    var (uids, gids) = UserNamespaces.IdRangeClaims.Allocate(UserNamespaces.UserNamespaceSpec.AutoSize(options.Security.UserNs)!.Value, id,
                        Layout.RecordPath(id));
                    definition.Security.UidMappings.Add(uids);
                    definition.Security.GidMappings.Add(gids);
                }
                else if (definition.Security.UidMappings.Count > 0)
                {
                    UserNamespaces.IdRangeClaims.ClaimExplicit(definition, id, Layout.RecordPath(id));
                }
                Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
                FileLock.Acquire(Layout.LockPath(id), create: true).Dispose();
                Store.ReserveRecordSpace(id);
                // The record last: a folder without one is not a container, and is never listed.
                Store.Save(record);
                if (networkOwner is not null) _dependents.Add(networkOwner.Id, id, StopSignalOf(definition), DefaultStopTimeout);
            }
            catch
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                RemoveVolumesMadeFor(madeVolumes);
                if (idRanges is not null) UserNamespaces.IdRangeClaims.Withdraw(id);
                throw;
            }
        }
        return Store.Inspect(record);
    }

    /// <summary>
    /// The container that owns the network namespace -Network container:&lt;name&gt; names: that one,
    /// or, when it joins another's itself, the one it joins (the namespace is the same).
    /// </summary>
    private ContainerRecord NamespaceOwner(string idOrName)
    {
        var owner = Store.Resolve(idOrName);
        if (ContainerStore.Unreadable(owner)) throw ConmanErrors.ContainerRecordUnreadable(owner.Name);
        if (owner.Definition.Network.Mode == NetworkMode.Container)
        {
            owner = Store.Load(owner.Definition.Network.Container) ?? throw ConmanErrors.NetworkOwnerGone(owner.Name, owner.Definition.Network.Container);
        }
        return owner;
    }

    private static string GenerateUnusedName(HashSet<string> names)
    {
        string name;
        do name = ContainerName.Generate(); while (names.Contains(name));
        return name;
    }

    /// <summary>
    /// Starts a Created, Exited or Unknown container: its shim runs one `runc run --detach`. With
    /// <paramref name="attach"/>, the shim waits for this client to connect before runc runs
    /// anything, so that no output is missed; the caller owns the returned stream.
    /// </summary>
    /// <param name="terminalSize">The client terminal's size (rows, columns), set on the
    /// container's pseudo-terminal (by runc, from the spec) before its process runs.</param>
    public (ContainerSnapshot Container, AttachStream? Attach) Start(string idOrName, AttachRequest? attach = null,
        (ushort Rows, ushort Columns)? terminalSize = null)
    {
        var record = Store.Resolve(idOrName);
        using var _ = LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        var stream = StartLocked(record, attach, terminalSize);
        return (Store.Inspect(record), stream);
    }

    /// <summary>
    /// The start itself, under the container's lock: the host resources in order (each undone in
    /// reverse if a later step fails), the spec derived from the definition, then the shim, which
    /// records the run itself. Nothing in the container's record changes.
    /// </summary>
    private AttachStream? StartLocked(ContainerRecord record, AttachRequest? attach, (ushort Rows, ushort Columns)? terminalSize)
    {
        var current = Store.Inspect(record);
        if (current.State == ContainerState.Running) throw ConmanErrors.ContainerAlreadyRunning(record.Name);
        if (current.State == ContainerState.Removing) throw ConmanErrors.ContainerRemoving(record.Name);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        string id = record.Id;
        Layout.EnsureCreated();
        // Its last run's shim died (Unknown): what it left is released below, its network namespace
        // among it, so the containers still running on that namespace are stopped first.
        StopDependents(record, DefaultStopTimeout, CancellationToken.None);
        ClearAbandonedRun(id);
        ReleaseLeftovers(record);
        UserNamespaces.IdRangeClaims.Renew(record.Definition, id, Layout.RecordPath(id), record.Name);

        var networking = ContainerResources.Networking(record, Layout);
        var acquired = AcquiredResources.Acquire(ResourcesOf(record, starting: true, networking), record.Name);
        AttachStream? stream = null;
        try
        {
            PrepareVolumes(record);
            GiveMountsToUser(record);
            var spec = BuildSpec(record, acquired.Resources, terminalSize);
            acquired.Find<UserNamespaces.MountStaging>()?.Stage(spec, Layout.ContainerFolder(id));
            AtomicFile.Write(Layout.SpecPath(id), spec.ToJson());
            var health = WriteHealthProcess(record);
            AtomicFile.Write(Layout.TeardownPath(id), acquired.TeardownPlan());
            var config = ShimConfigFor(id, record.Definition.Process.Interactive, record.Definition.Process.Tty, Layout.LogPath(id), Layout.ExitPath(id),
                Layout.SocketPath(id), Layout.RunPath(id), LogRotations.Effective(record.Definition.LogRotation));
            config.TeardownPath = Layout.TeardownPath(id);
            config.AwaitFirstClient = attach is not null;
            config.DeleteWithRuntime = SpecOptions.NeedsRuntimeDelete(spec);
            config.DependentsFolder = Layout.DependentsFolder(id);
            if (record.Definition.Lifetime.RestartPolicy is { Mode: not RestartMode.No } restart) config.RestartPolicy = restart;
            config.Health = health;
            ContainerLifetime.For(record.Definition, Layout, id)?.ApplyTo(config);
            var ports = acquired.Find<PublishedPorts>();
            config.HeldPorts.AddRange(ports?.Held ?? []);
            try
            {
                _shim.Value.Launch(config, Layout.ShimConfigPath(id), ports?.Descriptors ?? [], () =>
                {
                    if (attach is not null) stream = ConnectWhenListening(Layout.SocketPath(id), attach, record.Name);
                });
            }
            finally
            {
                // The shim holds them now (or nothing needs them: the start failed, and the ports are free again).
                ports?.CloseSockets();
            }
            return stream;
        }
        catch
        {
            // Whatever failed (runc, the shim, a full disk writing the spec), as containerd's
            // deferred cleanups on an error return.
            stream?.Dispose();
            CleanUpFailedStart(id);
            acquired.Unwind();
            throw;
        }
    }

    /// <summary>
    /// The health check's process (health.json), for the shim to exec at each check: the
    /// container's own process (user, environment, working directory, capabilities, rlimits) with
    /// the check's command and no terminal, as Docker runs a check as an exec.
    /// </summary>
    /// <returns>The shim's health check; null without one.</returns>
    private ShimHealthCheck? WriteHealthProcess(ContainerRecord record) => WriteHealthProcess(record, HealthProcess(record, BuildSpec(record, resources: [], terminalSize: null)));

    private ShimHealthCheck? WriteHealthProcess(ContainerRecord record, OciProcess? process)
    {
        if (record.Definition.HealthCheck is not { } check || process is null) return null;
        AtomicFile.Write(Layout.HealthProcessPath(record.Id), process.ToJson());
        return new ShimHealthCheck { ProcessPath = Layout.HealthProcessPath(record.Id), RecordPath = Layout.HealthPath(record.Id), Check = check };
    }

    /// <summary>The check's process: the container's own, with the check's command and no terminal; null without a check.</summary>
    private static OciProcess? HealthProcess(ContainerRecord record, OciSpec containerSpec)
    {
        if (record.Definition.HealthCheck is not { } check) return null;
        var process = containerSpec.Process;
        process.Args = [.. check.Command];
        process.Terminal = false;
        return process;
    }

    /// <summary>What every shim is told, a container's or an exec's; the caller adds what is its own.</summary>
    private ShimConfig ShimConfigFor(string id, bool interactive, bool tty, string log, string exit, string socket, string run, LogRotation logRotation) => new()
    {
        ContainerId = id, Bundle = Layout.ContainerFolder(id), Runtime = Runtime.Path, RuntimeRoot = Runtime.Root,
        LogPath = log, LogRotation = logRotation, ExitPath = exit, SocketPath = socket, RunPath = run, Interactive = interactive, Tty = tty,
    };

    /// <summary>
    /// config.json and health.json of a live run, derived again from the definition as it will be,
    /// under the container's lock: a run its shim starts again (its restart policy, a health
    /// check's restart) runs what Update-Container set, not what the start saw. The run's
    /// resources are where its start put them (the namespace and files named by the container's
    /// id, a user namespace's staged mounts).
    /// </summary>
    /// <returns>Both, derived; written by <see cref="WriteRunSpec"/>. Derived first, so that a definition they cannot be derived from changes nothing.</returns>
    private (OciSpec Spec, OciProcess? Health) DeriveRunSpec(ContainerRecord record)
    {
        var resources = ResourcesOf(record, starting: false);
        var spec = BuildSpec(record, resources, terminalSize: null);
        if (record.Definition.Security.UidMappings.Count > 0) UserNamespaces.MountStaging.Redirect(spec, Layout.MountStagingFolder(record.Id));
        return (spec, HealthProcess(record, BuildSpec(record, resources: [], terminalSize: null)));
    }

    private void WriteRunSpec(ContainerRecord record, (OciSpec Spec, OciProcess? Health) derived)
    {
        AtomicFile.Write(Layout.SpecPath(record.Id), derived.Spec.ToJson());
        WriteHealthProcess(record, derived.Health);
    }

    /// <summary>The host resources of a start of the container (<paramref name="starting"/>), or those a removal or a rewrite finds.</summary>
    private IReadOnlyList<IHostResource> ResourcesOf(ContainerRecord record, bool starting, Networks.ContainerNetworking? networking = null) =>
        ContainerResources.For(record, Layout, Images, _networks, NetworkOwnerOf, networking ?? ContainerResources.Networking(record, Layout), starting);

    /// <summary>What a container joining <paramref name="id"/>'s network needs of it; null when it is gone.</summary>
    private Networks.NetworkOwner? NetworkOwnerOf(string id) => Store.Load(id) switch
    {
        null => null,
        var owner when ContainerStore.Unreadable(owner) => new(owner.Id, owner.Name, NetworkMode.Bridge, Running: false, Readable: false),
        var owner => new(owner.Id, owner.Name, owner.Definition.Network.Mode, Store.Inspect(owner).State == ContainerState.Running),
    };

    /// <summary>The definition's spec options, then those of the resources (none for a process of the container's, a health check's).</summary>
    private OciSpec BuildSpec(ContainerRecord record, IReadOnlyList<IHostResource> resources, (ushort Rows, ushort Columns)? terminalSize)
    {
        // Names resolve as the container's own /etc/passwd has them now, as at Docker's starts.
        var user = UserResolver.Resolve(record.Definition.Process, new RootFsView([Layout.MergedRootFs(record.Id)]));
        var definitionOptions = ContainerSpec.Options(record.Id, record.Definition, user, terminalSize, SpecOptions.HostFileLimit(),
            record.Definition.Process.Init ? Supervision.InitBinary.Locate() : null, Layout.VolumeData);
        return ContainerSpec.Build([.. definitionOptions, .. resources.SelectMany(r => r.SpecOptions)]);
    }

    /// <summary>
    /// What an earlier run left that would stop this one: a shim still waiting for a client of a
    /// start whose session died (killed), a shim still finishing a run that ended (waited for: it
    /// is undoing the run's host resources and giving its clients the exit), a dead shim's
    /// container (Unknown), runc's state of either.
    /// </summary>
    private void ClearAbandonedRun(string id)
    {
        if (WaitForFinishingShim(id) is { } shim && ProcessIdentity.IsAlive(shim.Pid, shim.StartTime)) LibC.kill(shim.Pid, LibC.SIGKILL);
        Runtime.Delete(id);
    }

    /// <summary>
    /// What a start cut short (its session killed while it set up the container's networks) or a
    /// run whose shim died left on the host: released before anything is acquired again, as
    /// host-local refuses a second address for the same container. Cheap when nothing is left:
    /// each resource looks for its own traces (a plugin result file, a member file) first. What
    /// cannot be undone stops the start (ResourcesNotReleased), before anything would overwrite
    /// what a later removal needs to undo it (a plugin's kept result, the namespace).
    /// </summary>
    private void ReleaseLeftovers(ContainerRecord record) => AcquiredResources.ReleaseAll(ResourcesOf(record, starting: false), record.Name);

    /// <summary>
    /// Waits (at most <see cref="ShimFinishWait"/>) for the shim of a run that ended: after the
    /// exit record it undoes the run's host resources and gives its clients the exit. Called only
    /// where the container is not Running, so a started run's live shim is one finishing.
    /// </summary>
    /// <returns>The shim the run record names, if any: a shim of a run that never started is not waited for.</returns>
    private ShimIdentity? WaitForFinishingShim(string id)
    {
        if (Store.ReadRun(id) is not { Shim: { } shim } run) return null;
        var deadline = DateTime.UtcNow + ShimFinishWait;
        while (run.StartedAt is not null && ProcessIdentity.IsAlive(shim.Pid, shim.StartTime) && DateTime.UtcNow < deadline) Thread.Sleep(2);
        return shim;
    }

    /// <summary>
    /// A start that failed leaves no runc state, socket or mount (the resources are unwound by the
    /// caller); the run record it left names a run that never started, so the container's state
    /// is what it was: Created, or Exited with the last run's status.
    /// </summary>
    private void CleanUpFailedStart(string id)
    {
        try
        {
            Runtime.Delete(id);
        }
        catch (ConmanException)
        {
        }
        File.Delete(Layout.SocketPath(id));
    }

    /// <summary>Attaches to a running container: output from now on, stdin if it is interactive.</summary>
    public AttachStream Attach(string idOrName, AttachRequest request)
    {
        var snapshot = Get(idOrName);
        if (snapshot.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(snapshot.Name);
        return AttachStream.TryConnect(Layout.SocketPath(snapshot.Id), request) ?? throw ConmanErrors.ContainerStoppedRunning(snapshot.Name);
    }

    /// <summary>How an attachment to the container ended; see <see cref="AttachEnd"/>.</summary>
    /// <param name="exit">The exit frame the shim sent last, when it sent one.</param>
    public AttachEnd EndOfAttach(string id, string name, Protocol.ExitRecord? exit)
    {
        ContainerSnapshot? now;
        try
        {
            now = Get(id);
        }
        catch (ConmanException e) when (e.ErrorId == ErrorIds.ContainerNotFound)
        {
            now = null;
        }
        if (exit is not null) return new AttachEnd(exit.ExitCode, now, null);
        return now switch
        {
            null => new AttachEnd(null, null, ConmanErrors.ContainerRemoved(name)),
            { ExitCode: int code, State: ContainerState.Exited } => new AttachEnd(code, now, null),
            { State: ContainerState.Running } => new AttachEnd(null, now, ConmanErrors.AttachCutOff(name)),
            { State: ContainerState.Unknown } => new AttachEnd(null, now, ConmanErrors.ContainerLost(name, now.StateReason)),
            _ => new AttachEnd(null, now, null),
        };
    }

    /// <summary>
    /// Asks the container's shim to stop it: SIGTERM, then SIGKILL once <paramref name="timeout"/>
    /// passed (at once with zero), by the shim's clock. Waits for the exit without holding the
    /// container's lock, so a kill or a forced removal from another session goes ahead meanwhile;
    /// a cancelled wait leaves the stop to the shim, as an interrupted docker stop leaves it to
    /// the daemon.
    /// </summary>
    public ContainerSnapshot Stop(string idOrName, TimeSpan timeout, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) return current;
        StopDependents(record, timeout, cancel);
        var exit = RequestStop(record, timeout, timeout + KillWait, cancel);
        return exit is not null && RemovedAtExit(record) ? Store.Ended(record, exit) : Store.Inspect(record);
    }

    /// <summary>Its joiners still running are stopped first: its network namespace must not go from under them.</summary>
    private void StopDependents(ContainerRecord owner, TimeSpan timeout, CancellationToken cancel)
    {
        foreach (var joiner in _dependents.Of(owner.Id))
        {
            if (Store.Inspect(joiner).State == ContainerState.Running) RequestStop(joiner, timeout, timeout + KillWait, cancel);
        }
    }

    /// <summary>Its shim removes it once it has exited: after the exit frame, it is Removing, then gone.</summary>
    private static bool RemovedAtExit(ContainerRecord record) => record.Definition?.Lifetime is { AutoRemove: true } or { RemoveWithSession: true };

    /// <summary>Sends the stop to the shim and waits for the exit frame; nothing to do when no shim listens any more.</summary>
    /// <returns>The exit frame, when it came.</returns>
    private ExitRecord? RequestStop(ContainerRecord record, TimeSpan timeout, TimeSpan waitLimit, CancellationToken cancel)
    {
        ThawIfPaused(record.Id);
        using var stream = AttachStream.TryConnect(Layout.SocketPath(record.Id), new AttachRequest());
        if (stream is null) return null;
        try
        {
            stream.RequestStop(StopSignalOf(record.Definition), timeout);
        }
        catch (IOException)
        {
            // The shim was finishing: the container has exited.
            return null;
        }
        // Until the last run's end: a run that ended by itself just before the stop came was
        // followed by a restart, which the stop cancels.
        return stream.ReadUntil(f => f.KindCase == ShimFrame.KindOneofCase.Exit && !f.Exit.Restarting, waitLimit, cancel)?.Exit;
    }

    /// <summary>The signal a stop sends first: the container's (-StopSignal, or its image's STOPSIGNAL), else SIGTERM.</summary>
    private static int StopSignalOf(ContainerDefinition? definition) => definition?.Lifetime is { StopSignal: > 0 } lifetime ? lifetime.StopSignal : LibC.SIGTERM;

    /// <summary>Sends a signal to a running container's init process, through its shim (docker kill).</summary>
    public ContainerSnapshot Kill(string idOrName, int signal)
    {
        var record = Store.Resolve(idOrName);
        if (Store.Inspect(record).State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        using var stream = AttachStream.TryConnect(Layout.SocketPath(record.Id), new AttachRequest())
            ?? throw ConmanErrors.ContainerStoppedRunning(record.Name);
        try
        {
            stream.RequestSignal(signal);
            // The shim answers once the signal was sent (or ends the connection as the container exits).
            stream.ReadUntil(f => f.KindCase is ShimFrame.KindOneofCase.Signaled or ShimFrame.KindOneofCase.Exit, KillWait, CancellationToken.None);
        }
        catch (IOException)
        {
            throw ConmanErrors.ContainerStoppedRunning(record.Name);
        }
        return Store.Inspect(record);
    }

    /// <summary>Stops (as <see cref="Stop"/>) and starts again, under the lock, so no other start comes between.</summary>
    public ContainerSnapshot Restart(string idOrName, TimeSpan timeout, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        using var _ = LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        if (Store.Inspect(record).State == ContainerState.Running)
        {
            StopDependents(record, timeout, cancel);
            RequestStop(record, timeout, timeout + KillWait, cancel);
        }
        // Interrupted while it stopped: the stop goes on in the shim, and nothing starts.
        cancel.ThrowIfCancellationRequested();
        StartLocked(record, attach: null, terminalSize: null);
        return Store.Inspect(record);
    }

    /// <summary>
    /// Removes a container and everything it had: host resources, bundle, log, socket, runc
    /// state. A removal that its session did not finish left the container Removing; any later
    /// removal finishes it. With <paramref name="removeVolumes"/>, its anonymous volumes go too (docker rm -v).
    /// </summary>
    public void Remove(string idOrName, bool force, bool removeVolumes = false)
    {
        var record = Store.Resolve(idOrName);
        using (LockContainer(record.Id, idOrName))
        {
            record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
            string id = record.Id;
            var current = Store.Inspect(record);
            if (_dependents.Of(id) is { Count: > 0 } joiners) throw ConmanErrors.ContainerHasDependents(record.Name, joiners.Select(j => j.Name));
            if (current.State == ContainerState.Running && !force) throw ConmanErrors.ContainerRunning(record.Name);
            // From here on the container is Removing until its folder is gone, whatever dies.
            File.WriteAllBytes(Layout.RemovingMarkerPath(id), []);
            if (current.State == ContainerState.Running) RequestStop(record, TimeSpan.Zero, KillWait, CancellationToken.None);
            // Also kills what is left when the shim died (Unknown), or waits for a client.
            ClearAbandonedRun(id);
            AcquiredResources.ReleaseAll(ResourcesOf(record, starting: false), record.Name);
            File.Delete(Layout.SocketPath(id));
            DeleteExecSockets(id);
            DeleteFolder(id);
            UserNamespaces.IdRangeClaims.Release(id, Layout.RecordPath(id));
            if (record.Definition?.Network is { Mode: NetworkMode.Container } joined) _dependents.Remove(joined.Container, id);
        }
        if (removeVolumes && record.Definition is { } removed) RemoveAnonymousVolumes(removed);
        // The last container of an image removed with -Force held its snapshots: free them now.
        if (record.Definition is { Snapshots.Count: > 0 } definition && !Images.Has(definition.ImageId)) Images.CollectGarbage();
    }

    /// <summary>
    /// The sockets of the container's execs, which live in the run folder, not the container's:
    /// a shim that ended normally removed its own, a killed one could not.
    /// </summary>
    private void DeleteExecSockets(string id)
    {
        if (!Directory.Exists(Layout.ExecsFolder(id))) return;
        foreach (string exec in Directory.EnumerateDirectories(Layout.ExecsFolder(id))) File.Delete(Layout.SocketPath(Path.GetFileName(exec)));
    }

    /// <summary>
    /// The folder's contents, then the record, then the folder: until the record goes, a removal
    /// cut short is listed (Removing, by the marker made first) and can be finished.
    /// </summary>
    private void DeleteFolder(string id)
    {
        string folder = Layout.ContainerFolder(id);
        var keep = new HashSet<string>(StringComparer.Ordinal) { Layout.RecordPath(id), Layout.RemovingMarkerPath(id), Layout.LockPath(id) };
        // What is still mounted there (a release that failed) stops the removal: a recursive delete
        // would go into it, an image's layer or a volume. The container stays Removing, and says why.
        if (MountTable.HasMountsAtOrBelow(folder)) throw new IOException($"Something is still mounted in {folder}; the removal stops before it.");
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (keep.Contains(entry)) continue;
            if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
        File.Delete(Layout.RecordPath(id));
        Directory.Delete(folder, recursive: true);
    }

    private static readonly TimeSpan CreatedPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Waits until the container has run and is no longer running (a Created one is waited for
    /// until it has been started and exited), or the timeout passes; returns its state either
    /// way. Listens on the shim's socket for the exit frame rather than polling. A run that its
    /// restart policy follows with another ends the wait too (docker wait): the container
    /// returned is then Restarting, with that run's exit code.
    /// </summary>
    public ContainerSnapshot Wait(string idOrName, TimeSpan? timeout, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            var current = Store.Inspect(record);
            if (current.State == ContainerState.Exited)
            {
                // An exited container holds no host resource: its shim may still be undoing them.
                WaitForFinishingShim(record.Id);
                return current;
            }
            // Between two runs it is not running, as docker wait sees a restarting container.
            if (current.State is not (ContainerState.Running or ContainerState.Created) || current.Restarting
                || DateTime.UtcNow >= deadline || cancel.IsCancellationRequested) return current;
            if (current.State == ContainerState.Created)
            {
                // As docker wait: a container not started yet is waited for until it has run and exited.
                cancel.WaitHandle.WaitOne(CreatedPollInterval);
                continue;
            }
            using var stream = AttachStream.TryConnect(Layout.SocketPath(record.Id), new AttachRequest());
            if (stream is null)
            {
                cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                continue;
            }
            var exit = stream.ReadUntilExit(deadline == DateTime.MaxValue ? null : deadline - DateTime.UtcNow, cancel);
            // A run's end that another run follows is the end of this wait.
            if (exit is { Restarting: true }) return Store.Inspect(record);
            // A container its shim removes at exit (AutoRemove) is Removing, then gone: its exit frame says how it ended.
            if (exit is not null && RemovedAtExit(record)) return Store.Ended(record, exit);
        }
    }

    public IEnumerable<LogEntry> Logs(string idOrName, LogQuery query, bool follow, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        Func<bool>? stillRunning = follow ? () => Store.Inspect(record).State == ContainerState.Running : null;
        return LogReader.Read(Layout.LogPath(record.Id), query, stillRunning, cancel);
    }

    private FileLock LockContainer(string id, string idOrName)
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
}
