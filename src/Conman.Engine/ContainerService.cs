using Conman.Engine.Containers;
using Conman.Engine.Lifecycle;
using Conman.Engine.Logs;
using Conman.Engine.Readiness;
using Conman.Engine.Resources;
using Conman.Engine.Shim;
using Conman.Engine.Supervision;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>
/// The containers' lifecycle, with no PowerShell in it: what the cmdlets do, a C# caller can do.
/// Creates, starts, updates and removals happen under the container's lock, so concurrent
/// sessions serialise; stops and signals go to the container's shim, which owns its runs. The
/// work of each is in Lifecycle/; this is what a caller sees.
/// </summary>
public sealed class ContainerService
{
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CreatedPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly EngineContext _context;
    private readonly ContainerCreator _creator;
    private readonly ContainerStarter _starter;
    private readonly ContainerStopper _stopper;
    private readonly ContainerRemover _remover;
    private readonly ExecLauncher _execs;
    private readonly ContainerCgroups _cgroups;
    private readonly EndedRuns _ended;
    private readonly ReadinessWait _readiness;

    internal ContainerService(EngineContext context, ContainerCreator creator, ContainerStarter starter, ContainerStopper stopper,
        ContainerRemover remover, ExecLauncher execs, ContainerCgroups cgroups, EndedRuns ended)
    {
        _context = context;
        _creator = creator;
        _starter = starter;
        _stopper = stopper;
        _remover = remover;
        _execs = execs;
        _cgroups = cgroups;
        _ended = ended;
        _readiness = new ReadinessWait(this);
    }

    private ContainerStore Store => _context.Store;

    public IReadOnlyList<ContainerSnapshot> List() => Store.LoadAll().Select(Store.Inspect).OrderBy(c => c.CreatedAt).ToList();

    public ContainerSnapshot Get(string idOrName) => Store.Inspect(Store.Resolve(idOrName));

    /// <summary>Every container's name, without deriving any state (for completion).</summary>
    public IEnumerable<string> Names() => Store.LoadAll().Select(r => r.Name);

    /// <summary>Makes a container (docker create): state Created, nothing runs yet.</summary>
    public ContainerSnapshot Create(ContainerOptions options) =>
        HostIo.Guard($"Creating the container '{options.Name ?? options.Image ?? options.RootFs}'", options.Name ?? "", () => _creator.Create(options));

    /// <summary>
    /// Starts a Created, Exited or Unknown container: its shim runs one `runc run --detach`. With
    /// <paramref name="attach"/>, the shim waits for this client to connect before runc runs
    /// anything, so that no output is missed; the caller owns the returned stream.
    /// </summary>
    /// <param name="terminalSize">The client terminal's size (rows, columns), set on the
    /// container's pseudo-terminal (by runc, from the spec) before its process runs.</param>
    public (ContainerSnapshot Container, AttachStream? Attach) Start(string idOrName, AttachOptions? attach = null,
        (ushort Rows, ushort Columns)? terminalSize = null) =>
        HostIo.Guard($"Starting the container '{idOrName}'", idOrName, () => _starter.Start(idOrName, attach?.ToRequest(), terminalSize));

    /// <summary>
    /// Runs a new container as docker run does: made, started with this client attached to its
    /// stdout and stderr (and its stdin when it is interactive, docker run -i) before its process runs, killed at <see cref="RunOptions.Timeout"/>,
    /// and removed once over unless <see cref="RunOptions.Keep"/> (see <see cref="RunSession"/>).
    /// The image is to be in the store (pull it first: <see cref="ContainerEngine.Images"/>). A start that
    /// fails removes what the run made.
    /// </summary>
    public RunSession Run(ContainerOptions options, RunOptions run)
    {
        // As docker run refuses --rm with --restart: a container removed at its first exit has no next run.
        if (!run.Keep && options.Lifetime.RestartPolicy != RestartPolicy.No) throw ConmanErrors.RestartPolicyWithoutKeep(options.Lifetime.RestartPolicy);
        RunSession.CheckTimeout(run);
        var container = Create(options);
        try
        {
            var (_, stream) = Start(container.Id, new AttachOptions(Stdin: options.Process.Interactive),
                options.Process.Tty ? run.TerminalSize ?? DefaultTerminalSize : null);
            return new RunSession(this, container, stream!, run);
        }
        catch (ConmanException)
        {
            if (!run.Keep) RemoveQuietly(container.Id);
            throw;
        }
    }

    /// <summary>A pseudo-terminal's size when the caller has no terminal to take it from, as docker's.</summary>
    public static readonly (ushort Rows, ushort Columns) DefaultTerminalSize = (24, 80);

    /// <summary>
    /// Attaches to the container as docker attach (or docker start -a of a created one) does: a
    /// running one from now on, a created one started with this client attached before its
    /// process runs (<paramref name="terminalSize"/> for its pseudo-terminal). Its stdin is
    /// attached when it is interactive.
    /// </summary>
    public (ContainerSnapshot Container, AttachStream Attach) AttachOrStart(string idOrName, (ushort Rows, ushort Columns)? terminalSize = null)
    {
        var container = Get(idOrName);
        var request = new AttachOptions(Stdin: container.Config.Process.Interactive);
        return container.State switch
        {
            ContainerState.Created => (container, Start(container.Id, request, terminalSize).Attach!),
            ContainerState.Running => (container, Attach(container.Id, request)),
            _ => throw ConmanErrors.ContainerNotRunning(container.Name),
        };
    }

    /// <summary>
    /// Waits until the container runs and every condition holds (Testcontainers' wait strategies),
    /// checking each again until it does; the conditions are the caller's to dispose.
    /// </summary>
    /// <returns>The container once ready; null when <paramref name="cancel"/> fired first.</returns>
    /// <exception cref="ConmanException">ExitedBeforeReady, ReadinessTimeout (with its last log lines), NoHealthCheck.</exception>
    public ContainerSnapshot? WaitUntilReady(string idOrName, IReadOnlyList<ReadinessCondition> conditions, TimeSpan timeout, CancellationToken cancel = default) =>
        _readiness.Until(idOrName, conditions, timeout, cancel);

    private void RemoveQuietly(string id)
    {
        try
        {
            Remove(id, force: true, removeVolumes: true);
        }
        catch (ConmanException)
        {
            // The start's error is the one to see; Get-Container still shows what stayed.
        }
    }

    /// <summary>Attaches to a running container: output from now on, stdin if it is interactive.</summary>
    public AttachStream Attach(string idOrName, AttachOptions streams)
    {
        var snapshot = Get(idOrName);
        if (snapshot.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(snapshot.Name);
        return AttachStream.TryConnect(_context.Layout.SocketPath(snapshot.Id), streams.ToRequest()) ?? throw ConmanErrors.ContainerStoppedRunning(snapshot.Name);
    }

    /// <summary>How an attachment to the container ended; see <see cref="AttachEnd"/>.</summary>
    /// <param name="exit">The exit frame the shim sent last, when it sent one.</param>
    public AttachEnd EndOfAttach(string id, string name, ExitStatus? exit)
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
    /// Asks the container's shim to stop it (docker stop): its stop signal, then SIGKILL once
    /// <paramref name="timeout"/> passed, by the shim's clock; containers on its network
    /// namespace first. A cancelled wait leaves the stop to the shim.
    /// </summary>
    public ContainerSnapshot Stop(string idOrName, TimeSpan timeout, CancellationToken cancel = default) =>
        HostIo.Guard($"Stopping the container '{idOrName}'", idOrName, () => _stopper.Stop(idOrName, timeout, cancel));

    /// <summary>Sends a signal to a running container's init process, through its shim (docker kill).</summary>
    public ContainerSnapshot Kill(string idOrName, int signal) => _stopper.Kill(idOrName, signal);

    /// <summary>Stops (as <see cref="Stop"/>) and starts again, under the lock, so no other start comes between.</summary>
    public ContainerSnapshot Restart(string idOrName, TimeSpan timeout, CancellationToken cancel = default) =>
        HostIo.Guard($"Restarting the container '{idOrName}'", idOrName, () => _starter.Restart(idOrName, timeout, cancel));

    /// <summary>
    /// Removes a container and everything it had: host resources, bundle, log, socket, runc
    /// state. A removal that its session did not finish left the container Removing; any later
    /// removal finishes it. With <paramref name="removeVolumes"/>, its anonymous volumes go too (docker rm -v).
    /// </summary>
    public void Remove(string idOrName, bool force, bool removeVolumes = false) =>
        HostIo.Guard($"Removing the container '{idOrName}'", idOrName, () => _remover.Remove(idOrName, force, removeVolumes));

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
                _ended.WaitForFinishingShim(record.Id);
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
            using var stream = AttachStream.TryConnect(_context.Layout.SocketPath(record.Id), new AttachRequest());
            if (stream is null)
            {
                cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                continue;
            }
            var exit = stream.ReadUntilExit(deadline == DateTime.MaxValue ? null : deadline - DateTime.UtcNow, cancel);
            // A run's end that another run follows is the end of this wait.
            if (exit is { Restarting: true }) return Store.Inspect(record);
            // A container its shim removes at exit (AutoRemove) is Removing, then gone: its exit frame says how it ended.
            if (exit is not null && ContainerStopper.RemovedAtExit(record)) return Store.Ended(record, exit);
        }
    }

    /// <summary>Its log (docker logs): every file its shim rotated and the one it writes, as one; with <paramref name="follow"/>, on until it stops running.</summary>
    public IEnumerable<LogEntry> Logs(string idOrName, LogQuery query, bool follow, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        Func<bool>? stillRunning = follow ? () => Store.Inspect(record).State == ContainerState.Running : null;
        return LogReader.Read(_context.Layout.LogPath(record.Id), query, stillRunning, cancel);
    }

    /// <summary>
    /// Runs a process in a running container under its own shim (docker exec). The process starts
    /// only once the returned session's stream is attached, so none of its output is missed.
    /// </summary>
    public ExecSession Exec(string idOrName, ExecOptions options, AttachOptions streams) =>
        HostIo.Guard($"Running a command in the container '{idOrName}'", idOrName, () => _execs.Exec(idOrName, options, streams.ToRequest()));

    /// <summary>
    /// Changes a container's limits (docker update): kept in its definition, so every later run
    /// has them, and applied at once to a running container's cgroup by "runc update". When runc
    /// refuses them, the definition is as it was.
    /// </summary>
    public ContainerSnapshot Update(string idOrName, Definitions.ContainerLimits update) =>
        HostIo.Guard($"Updating the container '{idOrName}'", idOrName, () => _cgroups.Update(idOrName, update));

    /// <summary>A sampler of running containers' use (docker stats); keep it to sample again, for CPU % between samples.</summary>
    public ContainerStatsSampler StatsSampler() => new(CgroupReader.Current, ContainerStatsSampler.HostMemory());

    /// <summary>The processes of a running container (docker top), from its cgroup and /proc.</summary>
    public IReadOnlyList<ContainerProcess> Processes(string idOrName) => _cgroups.Processes(idOrName);

    /// <summary>Freezes every process of a running container (docker pause); it stays Running, Paused.</summary>
    public ContainerSnapshot Pause(string idOrName) => _cgroups.Pause(idOrName);

    /// <summary>Thaws a paused container (docker unpause).</summary>
    public ContainerSnapshot Resume(string idOrName) => _cgroups.Resume(idOrName);

    /// <summary>
    /// The containers a boot should bring back (after a reboot, or when every shim died): those
    /// whose restart policy says so (<see cref="RestartPolicies.ShouldRestore"/>). Run at boot by
    /// the systemd unit in docs/boot.md.
    /// </summary>
    public IReadOnlyList<ContainerSnapshot> ToRestore() => List().Where(RestartPolicies.ShouldRestore).ToList();

    /// <summary>Starts one container that <see cref="ToRestore"/> named, if it still should be (another session may have started it meanwhile).</summary>
    /// <returns>Null when it no longer needed it.</returns>
    public ContainerSnapshot? Restore(string id) => HostIo.Guard($"Restoring the container '{id}'", id, () => _starter.Restore(id));
}
