using Conman.Engine.Containers;
using Conman.Engine.Resources;
using Conman.Engine.Shim;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// Stops and signals, sent to the container's shim, which owns its runs and keeps the stop's
/// time: the engine only asks and waits for the exit frame.
/// </summary>
internal sealed class ContainerStopper(EngineContext context)
{
    /// <summary>How long a SIGKILL's exit is waited for.</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private ContainerStore Store => context.Store;

    /// <summary>
    /// Asks the container's shim to stop it: its stop signal, then SIGKILL once
    /// <paramref name="timeout"/> passed (at once with zero), by the shim's clock. Waits for the
    /// exit without holding the container's lock, so a kill or a forced removal from another
    /// session goes ahead meanwhile; a cancelled wait leaves the stop to the shim, as an
    /// interrupted docker stop leaves it to the daemon. Its joiners are stopped first.
    /// </summary>
    public ContainerSnapshot Stop(string idOrName, TimeSpan timeout, CancellationToken cancel)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) return current;
        StopDependents(record, timeout, cancel);
        var exit = RequestStop(record, timeout, timeout + KillWait, cancel);
        return exit is not null && RemovedAtExit(record) ? Store.Ended(record, exit) : Store.Inspect(record);
    }

    /// <summary>Sends a signal to a running container's init process, through its shim (docker kill).</summary>
    public ContainerSnapshot Kill(string idOrName, int signal)
    {
        var record = Store.Resolve(idOrName);
        if (Store.Inspect(record).State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        using var stream = AttachStream.TryConnect(context.Layout.SocketPath(record.Id), new AttachRequest())
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

    /// <summary>Its joiners still running are stopped first: its network namespace must not go from under them.</summary>
    public void StopDependents(ContainerRecord owner, TimeSpan timeout, CancellationToken cancel)
    {
        foreach (var joiner in context.Dependents.Of(owner.Id))
        {
            if (Store.Inspect(joiner).State == ContainerState.Running) RequestStop(joiner, timeout, timeout + KillWait, cancel);
        }
    }

    /// <summary>Sends the stop to the shim and waits for the exit frame; nothing to do when no shim listens any more.</summary>
    /// <returns>The exit frame, when it came.</returns>
    public ExitRecord? RequestStop(ContainerRecord record, TimeSpan timeout, TimeSpan waitLimit, CancellationToken cancel)
    {
        ThawIfPaused(record.Id);
        using var stream = AttachStream.TryConnect(context.Layout.SocketPath(record.Id), new AttachRequest());
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
    public static int StopSignalOf(ContainerDefinition? definition) => definition?.Lifetime is { StopSignal: > 0 } lifetime ? lifetime.StopSignal : LibC.SIGTERM;

    /// <summary>Its shim removes it once it has exited (-AutoRemove): after the exit frame, it is Removing, then gone.</summary>
    public static bool RemovedAtExit(ContainerRecord record) => record.Definition?.Lifetime is { AutoRemove: true };

    /// <summary>
    /// A frozen container cannot act on its stop signal (and on cgroup v1 not even die of
    /// SIGKILL): a stop or a forced removal thaws it first, as Docker's does.
    /// </summary>
    private void ThawIfPaused(string id)
    {
        if (CgroupReader.Current.IsFrozen(id)) context.Runtime.Resume(id);
    }
}
