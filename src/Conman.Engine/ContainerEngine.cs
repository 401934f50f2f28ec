using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Logs;
using Conman.Engine.Runtime;
using Conman.Engine.Shim;
using Conman.Engine.Spec;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine;

/// <summary>
/// The whole container lifecycle, with no PowerShell in it: what the cmdlets do, a C# caller can
/// do. Every change to a container happens under its lock, so concurrent sessions serialise.
/// </summary>
public sealed partial class ContainerEngine
{
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly Lazy<RuncRuntime> _runtime;
    private readonly Lazy<ShimLauncher> _shim;
    private readonly Lazy<ImageManager> _images;

    public ContainerEngine(StoreLayout layout)
    {
        if (LibC.geteuid() != 0)
        {
            throw new ConmanException(ConmanErrorKind.PermissionDenied, "RootRequired",
                "Conman manages containers with runc and needs root: run PowerShell as root (sudo pwsh).", layout.Root);
        }
        Layout = layout;
        Store = new ContainerStore(layout);
        _runtime = new Lazy<RuncRuntime>(() => new RuncRuntime(RuncRuntime.Locate(), layout.RuntimeRoot));
        _shim = new Lazy<ShimLauncher>(() => new ShimLauncher(ShimLauncher.Locate()));
        _images = new Lazy<ImageManager>(() => new ImageManager(layout));
    }

    public static ContainerEngine FromEnvironment() => new(StoreLayout.FromEnvironment());

    public StoreLayout Layout { get; }
    public ContainerStore Store { get; }
    private RuncRuntime Runtime => _runtime.Value;
    public ImageManager Images => _images.Value;

    public IReadOnlyList<ContainerSnapshot> List() => Store.LoadAll().Select(Store.Inspect).OrderBy(c => c.Record.CreatedAt).ToList();

    public ContainerSnapshot Get(string idOrName) => Store.Inspect(Store.Resolve(idOrName));

    public ContainerSnapshot Create(ContainerOptions options)
    {
        if ((options.RootFs is null) == (options.Image is null))
        {
            throw new ConmanException(ConmanErrorKind.InvalidArgument, "RootFsOrImageRequired", "Give a container either a root filesystem folder or an image.", options.Name);
        }
        var image = options.Image is { } reference ? Images.Get(reference) : null;
        string rootFs = options.RootFs is { } rootFsFolder ? ValidateRootFs(rootFsFolder) : "";
        var root = new RootFsView(image is null ? [rootFs] : Images.TreesOf(image.Layers.Select(l => l.ChainId)));
        if (options.Name is not null) ContainerName.Validate(options.Name);
        var definition = ImageDefaults.Resolve(options, image?.Config);
        if (definition.Command.Count == 0 || string.IsNullOrEmpty(definition.Command[0]))
        {
            throw new ConmanException(ConmanErrorKind.InvalidArgument, "InvalidCommand",
                image is null ? "The command may not be empty." : $"The image {ImageManager.DisplayName(image)} has no command to run; give one with -Command.", options.Name);
        }
        ValidateEnvironment(definition.Environment);
        var volumes = options.Volumes.Select(VolumeSpec.Parse).ToList();
        var user = UserResolver.Resolve(definition.User, root);
        if (options.Hostname is { } host && !ContainerName.IsValid(host))
        {
            throw new ConmanException(ConmanErrorKind.InvalidArgument, "InvalidHostname", $"'{host}' is not a valid host name.", host);
        }
        ValidateWorkingDirectory(definition.WorkingDirectory);
        _ = Runtime; // fail before writing anything when runc is missing

        Layout.EnsureCreated();
        string id = ContainerName.NewId();
        var record = new ContainerRecord
        {
            Id = id,
            RootFs = rootFs,
            WorkingDirectory = definition.WorkingDirectory,
            User = definition.User,
            Hostname = options.Hostname ?? id[..12],
            ReadOnly = options.ReadOnly,
            Interactive = options.Interactive,
            Tty = options.Tty,
            CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        if (image is not null)
        {
            record.Image = options.Image!;
            record.ImageId = image.Id;
            record.Snapshots.AddRange(image.Layers.Select(l => l.ChainId));
        }
        record.Command.AddRange(definition.Command);
        record.Environment.Add(definition.Environment.ToDictionary());
        record.Labels.Add(definition.Labels.ToDictionary());
        record.Volumes.AddRange(volumes);

        using (FileLock.Acquire(Layout.NamesLock, create: true))
        // Held so that an image removed meanwhile cannot take the snapshots this container stacks.
        using (image is null ? null : Images.LockRecords())
        {
            if (image is not null && !Images.HasSnapshots(record.Snapshots)) throw ImageStore.NotFound(options.Image!);
            var names = Store.LoadAll().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            string name = options.Name ?? GenerateUnusedName(names);
            if (names.Contains(name))
            {
                throw new ConmanException(ConmanErrorKind.AlreadyExists, "ContainerNameInUse", $"The name '{name}' is already used by another container.", name);
            }
            record.Name = name;
            string folder = Layout.ContainerFolder(id);
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            try
            {
                File.WriteAllBytes(Layout.SpecPath(id), OciSpecBuilder.Build(record, user));
                File.SetUnixFileMode(Layout.SpecPath(id), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                FileLock.Acquire(Layout.LockPath(id), create: true).Dispose();
                Store.ReserveRecordSpace(id);
                // The record last: a folder without one is not a container, and is never listed.
                Store.Save(record);
            }
            catch
            {
                Directory.Delete(folder, recursive: true);
                throw;
            }
        }
        return Store.Inspect(record);
    }

    /// <summary>The folders the container's overlay stacks, the topmost first.</summary>
    private IReadOnlyList<string> LowerLayers(ContainerRecord record) =>
        record.Snapshots.Count > 0 ? Images.TreesOf(record.Snapshots) : [record.RootFs];

    private static void ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (string key in environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
            {
                throw new ConmanException(ConmanErrorKind.InvalidArgument, "InvalidEnvironment", $"'{key}' is not a valid environment variable name.", key);
            }
        }
    }

    private static void ValidateWorkingDirectory(string? workingDirectory)
    {
        if (!string.IsNullOrEmpty(workingDirectory) && !workingDirectory.StartsWith('/'))
        {
            throw new ConmanException(ConmanErrorKind.InvalidArgument, "InvalidWorkingDirectory", $"The working directory '{workingDirectory}' must be absolute.", workingDirectory);
        }
    }

    private static string GenerateUnusedName(HashSet<string> names)
    {
        string name;
        do name = ContainerName.Generate(); while (names.Contains(name));
        return name;
    }

    private static string ValidateRootFs(string rootFs)
    {
        string full = Path.GetFullPath(rootFs);
        if (!Directory.Exists(full))
        {
            throw new ConmanException(ConmanErrorKind.NotFound, "RootFsNotFound", $"The root filesystem folder '{rootFs}' does not exist.", rootFs);
        }
        if (!RootFsOverlay.IsUsableLayerPath(full))
        {
            throw new ConmanException(ConmanErrorKind.InvalidArgument, "InvalidRootFsPath",
                $"The root filesystem path '{rootFs}' may not contain ',', ':' or '\\' (overlayfs cannot use it).", rootFs);
        }
        return full;
    }

    /// <summary>
    /// Starts a Created or Exited container: its shim runs one `runc run --detach`. With
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
        record = Store.Load(record.Id) ?? throw ContainerStore.NotFound(idOrName);
        var current = Store.Inspect(record);
        if (current.State == ContainerState.Running)
        {
            throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerAlreadyRunning", $"The container '{record.Name}' is already running.", record.Name);
        }
        if (current.State == ContainerState.Unknown)
        {
            throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerStateUnknown",
                $"The container '{record.Name}' is in an unknown state ({current.StateReason}); remove it with Remove-Container -Force.", record.Name);
        }

        string id = record.Id;
        Layout.EnsureCreated();
        if (record.Shim is { } previous)
        {
            // A start abandoned before its client attached (its session died) left a shim waiting:
            // it must be gone before it could write an exit record for this run.
            if (ProcessIdentity.IsAlive(previous.Pid, previous.StartTime)) LibC.kill(previous.Pid, LibC.SIGKILL);
            Runtime.Delete(id); // the previous run's runc state
        }
        // An exited container's exit record is set aside until the new run has started: a start
        // that fails then leaves it Exited as it was, with its exit status, rather than Created.
        PreviousRun? previousRun = null;
        if (current.State == ContainerState.Exited)
        {
            previousRun = new PreviousRun(record.Shim, record.StartedAt);
            File.Move(Layout.ExitPath(id), Layout.PreviousExitPath(id), overwrite: true);
        }
        File.Delete(Layout.ExitPath(id));
        record.Shim = null;
        record.StartedAt = null;
        if (record.Tty && terminalSize is var (rows, columns))
        {
            AtomicFile.Write(Layout.SpecPath(id), OciSpecBuilder.WithConsoleSize(File.ReadAllBytes(Layout.SpecPath(id)), rows, columns));
        }
        RootFsOverlay.Mount(LowerLayers(record), Layout.UpperLayer(id), Layout.OverlayWork(id), Layout.MergedRootFs(id), Layout.LayerLinksFolder);

        var arguments = new ShimArguments(id, Layout.ContainerFolder(id), Runtime.Path, Runtime.Root,
            Layout.LogPath(id), Layout.ExitPath(id), Layout.SocketPath(id), record.Interactive, record.Tty,
            AwaitClient: attach is not null);
        AttachStream? stream = null;
        ShimIdentity shim;
        try
        {
            shim = _shim.Value.Launch(arguments, launched =>
            {
                // Recorded before the shim may run the container, without StartedAt: should this
                // session die now, the next one finds the shim (the container still counts as
                // Created) and cleans it up, rather than a container running unrecorded.
                record.Shim = launched;
                Store.Save(record);
                if (attach is not null) stream = ConnectWhenListening(Layout.SocketPath(id), attach, record.Name);
            });
        }
        catch (ConmanException)
        {
            stream?.Dispose();
            CleanUpFailedStart(record, previousRun);
            throw;
        }
        record.Shim = shim;
        record.StartedAt = Timestamp.FromDateTime(DateTime.UtcNow);
        Store.Save(record);
        File.Delete(Layout.PreviousExitPath(id));
        return (Store.Inspect(record), stream);
    }

    /// <summary>Attaches to a running container: output from now on, stdin if it is interactive.</summary>
    public AttachStream Attach(string idOrName, AttachRequest request)
    {
        var snapshot = Get(idOrName);
        if (snapshot.State != ContainerState.Running)
        {
            throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerNotRunning", $"The container '{snapshot.Name}' is not running.", snapshot.Name);
        }
        return AttachStream.TryConnect(Layout.SocketPath(snapshot.Id), request)
            ?? throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerNotRunning", $"The container '{snapshot.Name}' stopped running.", snapshot.Name);
    }

    /// <summary>What an exited container's last run left, kept while a new start is attempted.</summary>
    private sealed record PreviousRun(ShimIdentity? Shim, Timestamp? StartedAt);

    /// <summary>
    /// A start that failed leaves no runc state, shim, socket, exit record or mount: the container
    /// is Created again, or Exited with its previous exit status when it had run before.
    /// </summary>
    private void CleanUpFailedStart(ContainerRecord record, PreviousRun? previousRun)
    {
        try
        {
            Runtime.Delete(record.Id);
        }
        catch (ConmanException)
        {
        }
        File.Delete(Layout.ExitPath(record.Id));
        File.Delete(Layout.SocketPath(record.Id));
        // The failed run's shim is gone.
        record.Shim = null;
        record.StartedAt = null;
        if (previousRun is not null && File.Exists(Layout.PreviousExitPath(record.Id)))
        {
            File.Move(Layout.PreviousExitPath(record.Id), Layout.ExitPath(record.Id));
            record.Shim = previousRun.Shim;
            record.StartedAt = previousRun.StartedAt;
        }
        Store.Save(record);
        RootFsOverlay.Unmount(Layout.MergedRootFs(record.Id));
    }

    /// <summary>SIGTERM, then SIGKILL once <paramref name="timeout"/> passed (at once with zero).</summary>
    public ContainerSnapshot Stop(string idOrName, TimeSpan timeout, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        using (LockContainer(record.Id, idOrName))
        {
            var current = Store.Inspect(record);
            if (current.State != ContainerState.Running) return current;
            if (timeout > TimeSpan.Zero)
            {
                SignalIfRunning(record, LibC.SIGTERM);
                var stopped = Wait(record.Id, timeout, cancel);
                if (stopped.State != ContainerState.Running) return stopped;
            }
            SignalIfRunning(record, LibC.SIGKILL);
            return Wait(record.Id, KillWait, cancel);
        }
    }

    public ContainerSnapshot Kill(string idOrName, int signal)
    {
        var record = Store.Resolve(idOrName);
        using (LockContainer(record.Id, idOrName))
        {
            if (Store.Inspect(record).State != ContainerState.Running)
            {
                throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerNotRunning", $"The container '{record.Name}' is not running.", record.Name);
            }
            Runtime.Kill(record.Id, signal);
        }
        return Store.Inspect(record);
    }

    private void SignalIfRunning(ContainerRecord record, int signal)
    {
        try
        {
            Runtime.Kill(record.Id, signal);
        }
        catch (ConmanException) when (Store.Inspect(record).State != ContainerState.Running)
        {
            // It exited between the check and the signal.
        }
    }

    public ContainerSnapshot Restart(string idOrName, TimeSpan timeout)
    {
        Stop(idOrName, timeout);
        return Start(idOrName).Container;
    }

    /// <summary>Removes a container and everything it had: bundle, log, overlay, socket, runc state.</summary>
    public void Remove(string idOrName, bool force)
    {
        var record = Store.Resolve(idOrName);
        using (LockContainer(record.Id, idOrName))
        {
            record = Store.Load(record.Id) ?? throw ContainerStore.NotFound(idOrName);
            var current = Store.Inspect(record);
            if (current.State == ContainerState.Running && !force)
            {
                throw new ConmanException(ConmanErrorKind.InvalidState, "ContainerRunning",
                    $"The container '{record.Name}' is running: stop it first, or use -Force.", record.Name);
            }
            if (current.State == ContainerState.Running)
            {
                SignalIfRunning(record, LibC.SIGKILL);
                Wait(record.Id, KillWait);
            }
            if (record.Shim is not null)
            {
                // Also kills what is left when the shim died (Unknown).
                Runtime.Delete(record.Id);
                if (ProcessIdentity.IsAlive(record.Shim.Pid, record.Shim.StartTime)) LibC.kill(record.Shim.Pid, LibC.SIGKILL);
            }
            RootFsOverlay.Unmount(Layout.MergedRootFs(record.Id));
            File.Delete(Layout.SocketPath(record.Id));
            // The record goes first, so that a half-removed folder is never listed as a container.
            File.Delete(Layout.RecordPath(record.Id));
            Directory.Delete(Layout.ContainerFolder(record.Id), recursive: true);
        }
        // The last container of an image removed with -Force held its snapshots: free them now.
        if (record.Snapshots.Count > 0 && !Images.Has(record.ImageId)) Images.CollectGarbage();
    }

    /// <summary>
    /// Waits until the container is no longer running, or the timeout passes; returns its state
    /// either way. Listens on the shim's socket for the exit frame rather than polling.
    /// </summary>
    public ContainerSnapshot Wait(string idOrName, TimeSpan? timeout, CancellationToken cancel = default)
    {
        var record = Store.Resolve(idOrName);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            var current = Store.Inspect(record);
            if (current.State != ContainerState.Running || DateTime.UtcNow >= deadline || cancel.IsCancellationRequested) return current;
            using var stream = AttachStream.TryConnect(Layout.SocketPath(record.Id), new AttachRequest());
            if (stream is null)
            {
                cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                continue;
            }
            var remaining = deadline - DateTime.UtcNow;
            var reading = Task.Run(() => { while (stream.Read() is { KindCase: not ShimFrame.KindOneofCase.Exit }) { } });
            int waitMs = remaining > TimeSpan.FromDays(1) ? Timeout.Infinite : Math.Max(0, (int)remaining.TotalMilliseconds);
            try
            {
                reading.Wait(waitMs, cancel);
            }
            catch (OperationCanceledException)
            {
                // The caller stopped waiting (Ctrl+C): report the state as it is.
            }
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
        catch (ConmanException e) when (e.ErrorId == "LockUnavailable")
        {
            // The folder went away: another session removed the container.
            throw ContainerStore.NotFound(idOrName);
        }
    }
}
