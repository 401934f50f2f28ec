using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Engine.Networks;
using Conman.Engine.Runtime;
using Conman.Engine.Shim;
using Conman.Engine.Spec;
using Conman.Engine.Supervision;
using Conman.Engine.Volumes;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// A container's starts (Start-, Restart-, Restore-Container), under its lock: the host
/// resources in order (each undone in reverse if a later step fails), the spec derived from the
/// definition, then the shim, which records the run itself. Nothing in the container's record changes.
/// </summary>
internal sealed class ContainerStarter(EngineContext context, RunSpecs specs, ContainerStopper stopper, EndedRuns ended, ContainerVolumes volumes)
{
    private StoreLayout Layout => context.Layout;
    private ContainerStore Store => context.Store;

    /// <param name="terminalSize">The client terminal's size (rows, columns), set on the
    /// container's pseudo-terminal (by runc, from the spec) before its process runs.</param>
    public (ContainerSnapshot Container, AttachStream? Attach) Start(string idOrName, AttachRequest? attach, (ushort Rows, ushort Columns)? terminalSize)
    {
        var (record, held) = context.Locked(idOrName);
        using (held)
        {
            var stream = StartLocked(record, attach, terminalSize);
            return (Store.Inspect(record), stream);
        }
    }

    /// <summary>Stops (as Stop-Container) and starts again, under the lock, so no other start comes between.</summary>
    public ContainerSnapshot Restart(string idOrName, TimeSpan timeout, CancellationToken cancel)
    {
        var (record, held) = context.Locked(idOrName);
        using (held)
        {
            if (Store.Inspect(record).State == ContainerState.Running)
            {
                stopper.StopDependents(record, timeout, cancel);
                stopper.RequestStop(record, timeout, timeout + ContainerStopper.KillWait, cancel);
            }
            // Interrupted while it stopped: the stop goes on in the shim, and nothing starts.
            cancel.ThrowIfCancellationRequested();
            StartLocked(record, attach: null, terminalSize: null);
            return Store.Inspect(record);
        }
    }

    /// <summary>Starts a container a boot should bring back, if it still should be (another session may have started it meanwhile).</summary>
    /// <returns>Null when it no longer needed it.</returns>
    public ContainerSnapshot? Restore(string id)
    {
        var (record, held) = context.Locked(id);
        using (held)
        {
            if (!RestartPolicies.ShouldRestore(Store.Inspect(record))) return null;
            StartLocked(record, attach: null, terminalSize: null);
            return Store.Inspect(record);
        }
    }

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
        stopper.StopDependents(record, ContainerService.DefaultStopTimeout, CancellationToken.None);
        ended.ClearAbandoned(id);
        ReleaseLeftovers(record);
        UserNamespaces.IdRangeClaims.Renew(record.Definition, id, Layout.RecordPath(id), record.Name);

        var networking = ContainerResources.Networking(record, Layout);
        var acquired = AcquiredResources.Acquire(context.ResourcesOf(record, starting: true, networking), record.Name);
        AttachStream? stream = null;
        try
        {
            volumes.Prepare(record);
            volumes.GiveMountsToUser(record);
            var spec = specs.Build(record, acquired.Resources, terminalSize);
            acquired.Find<UserNamespaces.MountStaging>()?.Stage(spec, Layout.ContainerFolder(id));
            AtomicFile.Write(Layout.SpecPath(id), spec.ToJson());
            var health = specs.WriteHealthProcess(record);
            AtomicFile.Write(Layout.TeardownPath(id), acquired.TeardownPlan());
            var config = specs.ShimConfigFor(id, record.Definition.Process.Interactive, record.Definition.Process.Tty, Layout.LogPath(id), Layout.ExitPath(id),
                Layout.SocketPath(id), Layout.RunPath(id), LogRotations.Effective(record.Definition.LogRotation));
            config.TeardownPath = Layout.TeardownPath(id);
            config.AwaitFirstClient = attach is not null;
            config.DeleteWithRuntime = SpecOptions.NeedsRuntimeDelete(spec);
            config.DependentsFolder = Layout.DependentsFolder(id);
            config.StopSignal = ContainerStopper.StopSignalOf(record.Definition);
            if (record.Definition.Lifetime.RestartPolicy is { Mode: not RestartMode.No } restart) config.RestartPolicy = restart;
            config.Health = health;
            ContainerLifetime.For(record.Definition, Layout, id)?.ApplyTo(config);
            var ports = acquired.Find<PublishedPorts>();
            config.HeldPorts.AddRange(ports?.Held ?? []);
            try
            {
                context.Shim.Launch(config, Layout.ShimConfigPath(id), ports?.Descriptors ?? [], record.Name, () =>
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

    /// <summary>Connects the first client of a shim that waits for it before runc runs anything.</summary>
    public static AttachStream ConnectWhenListening(string socket, AttachRequest request, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(socket) && AttachStream.TryConnect(socket, request) is { } stream) return stream;
            Thread.Sleep(1);
        }
        throw ConmanErrors.ShimTimeout("The shim did not listen within 30 s.", name);
    }

    /// <summary>
    /// What a start cut short (its session killed while it set up the container's networks) or a
    /// run whose shim died left on the host: released before anything is acquired again, as
    /// host-local refuses a second address for the same container. Cheap when nothing is left:
    /// each resource looks for its own traces (a plugin result file, a member file) first. What
    /// cannot be undone stops the start (ResourcesNotReleased), before anything would overwrite
    /// what a later removal needs to undo it (a plugin's kept result, the namespace).
    /// </summary>
    private void ReleaseLeftovers(ContainerRecord record) => AcquiredResources.ReleaseAll(context.ResourcesOf(record, starting: false), record.Name);

    /// <summary>
    /// A start that failed leaves no runc state, socket or mount (the resources are unwound by the
    /// caller); the run record it left names a run that never started, so the container's state
    /// is what it was: Created, or Exited with the last run's status.
    /// </summary>
    private void CleanUpFailedStart(string id)
    {
        try
        {
            context.Runtime.Delete(id);
        }
        catch (ConmanException)
        {
        }
        File.Delete(Layout.SocketPath(id));
    }
}
