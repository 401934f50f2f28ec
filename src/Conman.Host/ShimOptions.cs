using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Host;

/// <summary>
/// What the engine asks of a shim (its shim.pb, a ShimConfig record), as the shim uses it. Read
/// with the wire-format primitives (<see cref="Read"/>), as the shim reads every record: the
/// generated classes' reflection would cost the NativeAOT shim its memory. ProtocolTests pins the
/// reader to the generated ShimConfig, which is what the engine writes.
/// </summary>
internal sealed class ShimOptions
{
    public required string ContainerId { get; init; }
    public required string Bundle { get; init; }
    public required string Runtime { get; init; }
    public required string RuntimeRoot { get; init; }
    public required string LogPath { get; init; }
    /// <summary>The log's bound: rotated past the size, that many files kept; null for none.</summary>
    public (long MaxSizeBytes, int MaxFiles)? LogBound { get; init; }
    public required string ExitPath { get; init; }
    /// <summary>Space set aside while the process runs, for its exit record: the log shares its file system.</summary>
    public string ExitReservePath => ExitPath + ".reserve";
    public required string SocketPath { get; init; }
    /// <summary>Where the shim records the run (run.pb): its own identity, then the started container. None for an exec.</summary>
    public string? RunPath { get; init; }
    /// <summary>What to undo on the host once the container has exited (teardown.pb); none for an exec.</summary>
    public string? TeardownPath { get; init; }
    /// <summary>
    /// Forget the stopped container with `runc delete` rather than by hand: its spec has what only
    /// runc does at delete (poststop hooks, a pid namespace shared with other processes).
    /// </summary>
    public bool DeleteWithRuntime { get; init; }
    /// <summary>The index of the containers on this one's network namespace, stopped before it goes.</summary>
    public string? DependentsFolder { get; init; }
    /// <summary>The signal a stop of the shim's own (a health check's restart) sends first: the container's stop signal.</summary>
    public int StopSignal { get; init; } = SigTerm;
    private const int SigTerm = 15;
    /// <summary>The published host ports' sockets, bound by the engine and inherited: held while the container runs.</summary>
    public IReadOnlyList<int> HeldPortDescriptors { get; init; } = [];
    /// <summary>Keep the container's stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>The container has a pseudo-terminal; runc hands its master over the console socket.</summary>
    public bool Tty { get; init; }
    public string ConsoleSocketPath => SocketPath + ".console";
    /// <summary>For an exec: the OCI process spec to run in the running container.</summary>
    public string? ExecProcess { get; init; }
    /// <summary>
    /// Wait for the first client to attach before runc starts anything, so that it misses none of
    /// the output (the engine's choice for an attached start; always for an exec).
    /// </summary>
    public bool AwaitsFirstClient { get; init; }
    /// <summary>When to run the container again after it exits; "no" for an exec.</summary>
    public RestartRule Restart { get; init; }
    /// <summary>The container's health check; null without one.</summary>
    public HealthCheckOptions? Health { get; init; }
    /// <summary>Remove the container once it has exited; null to keep it.</summary>
    public RemovalPlan? RemoveAtExit { get; init; }
    /// <summary>The session the container is tied to (pid, start time): killed when it ends.</summary>
    public (int Pid, ulong StartTime)? Session { get; init; }
    /// <summary>Where runc's pid file and log go: the bundle, or the exec's own folder.</summary>
    public string StateFolder => ExecProcess is null ? Bundle : Path.GetDirectoryName(ExecProcess)!;

    /// <summary>A ShimConfig record, as the engine wrote it.</summary>
    /// <exception cref="InvalidDataException">Not a whole ShimConfig, or one without what every shim needs.</exception>
    public static ShimOptions Read(byte[] record)
    {
        try
        {
            return FromFields(Fields.Of(record));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Not a valid ShimConfig.", e);
        }
    }

    private static ShimOptions FromFields(Fields config)
    {
        string Required(int field, string name) => config.String(field) is { Length: > 0 } value ? value : throw new InvalidDataException($"ShimConfig has no {name}.");
        string execProcess = config.String(ShimConfig.ExecProcessFieldNumber);
        return new ShimOptions
        {
            ContainerId = Required(ShimConfig.ContainerIdFieldNumber, "container id"),
            Bundle = Required(ShimConfig.BundleFieldNumber, "bundle"),
            Runtime = Required(ShimConfig.RuntimeFieldNumber, "runtime"),
            RuntimeRoot = Required(ShimConfig.RuntimeRootFieldNumber, "runtime root"),
            LogPath = Required(ShimConfig.LogPathFieldNumber, "log"),
            LogBound = config.Message(ShimConfig.LogRotationFieldNumber) is { } rotation && rotation.Has(LogRotation.MaxSizeBytesFieldNumber)
                ? (rotation.Int64(LogRotation.MaxSizeBytesFieldNumber), (int)rotation.Int64(LogRotation.MaxFilesFieldNumber))
                : null,
            ExitPath = Required(ShimConfig.ExitPathFieldNumber, "exit record"),
            SocketPath = Required(ShimConfig.SocketPathFieldNumber, "socket"),
            RunPath = config.OptionalString(ShimConfig.RunPathFieldNumber),
            TeardownPath = config.OptionalString(ShimConfig.TeardownPathFieldNumber),
            DeleteWithRuntime = config.Bool(ShimConfig.DeleteWithRuntimeFieldNumber),
            DependentsFolder = config.OptionalString(ShimConfig.DependentsFolderFieldNumber),
            StopSignal = config.Int64(ShimConfig.StopSignalFieldNumber) is > 0 and var signal ? (int)signal : SigTerm,
            HeldPortDescriptors = [.. config.Messages(ShimConfig.HeldPortsFieldNumber).Select(p => (int)p.Int64(HeldPort.FdFieldNumber))],
            Interactive = config.Bool(ShimConfig.InteractiveFieldNumber),
            Tty = config.Bool(ShimConfig.TtyFieldNumber),
            ExecProcess = execProcess.Length > 0 ? execProcess : null,
            AwaitsFirstClient = config.Bool(ShimConfig.AwaitFirstClientFieldNumber) || execProcess.Length > 0,
            Restart = config.Message(ShimConfig.RestartPolicyFieldNumber) is { } restart
                ? new RestartRule((RestartMode)restart.Int64(ContainerRestartPolicy.ModeFieldNumber), (int)restart.Int64(ContainerRestartPolicy.MaximumRetryCountFieldNumber))
                : default,
            Health = config.Message(ShimConfig.HealthFieldNumber) is { } health ? HealthCheckOptions.From(health) : null,
            RemoveAtExit = config.Message(ShimConfig.RemoveAtExitFieldNumber) is { } removal ? RemovalPlan.From(removal) : null,
            Session = config.Message(ShimConfig.SessionFieldNumber) is { } session
                ? ((int)session.Int64(ShimIdentity.PidFieldNumber), (ulong)session.Int64(ShimIdentity.StartTimeFieldNumber))
                : null,
        };
    }
}

/// <summary>When and how a container's health is checked (its definition's check, and the files the shim uses for it).</summary>
internal sealed record HealthCheckOptions(string ProcessPath, string RecordPath, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod,
    int Retries, HealthFailureAction OnFailure)
{
    internal static HealthCheckOptions From(Fields health)
    {
        var check = health.Message(ShimHealthCheck.CheckFieldNumber) ?? throw new InvalidDataException("ShimConfig's health check has no check.");
        int retries = (int)check.Int64(ContainerHealthCheck.RetriesFieldNumber);
        if (retries <= 0) throw new InvalidDataException("ShimConfig's health check has no retries.");
        TimeSpan Milliseconds(int field) => TimeSpan.FromMilliseconds(check.Int64(field));
        return new HealthCheckOptions(health.String(ShimHealthCheck.ProcessPathFieldNumber), health.String(ShimHealthCheck.RecordPathFieldNumber),
            Milliseconds(ContainerHealthCheck.IntervalMillisecondsFieldNumber), Milliseconds(ContainerHealthCheck.TimeoutMillisecondsFieldNumber),
            Milliseconds(ContainerHealthCheck.StartPeriodMillisecondsFieldNumber), retries,
            (HealthFailureAction)check.Int64(ContainerHealthCheck.OnFailureFieldNumber));
    }
}

/// <summary>
/// The container's lock, record and Removing marker, as the engine's store lays them out; its
/// anonymous volumes, to remove with it; with a user namespace, its claim on host ids, to give back.
/// </summary>
/// <param name="OnceSessionEnded">Only once its session has ended (-RemoveWithSession): another exit keeps it.</param>
internal sealed record RemovalPlan(string LockPath, string RecordPath, string RemovingMarkerPath, VolumeRemoval? AnonymousVolumes = null,
    string? IdRangeClaim = null, bool OnceSessionEnded = false)
{
    internal static RemovalPlan From(Fields removal)
    {
        var volumes = removal.Strings(ShimRemoval.AnonymousVolumesFieldNumber);
        return new RemovalPlan(removal.String(ShimRemoval.LockPathFieldNumber), removal.String(ShimRemoval.RecordPathFieldNumber),
            removal.String(ShimRemoval.RemovingMarkerPathFieldNumber),
            volumes.Count > 0 ? new VolumeRemoval(removal.String(ShimRemoval.VolumesFolderFieldNumber), removal.String(ShimRemoval.VolumesLockFieldNumber), volumes) : null,
            removal.OptionalString(ShimRemoval.IdRangeClaimFieldNumber), removal.Bool(ShimRemoval.OnceSessionEndedFieldNumber));
    }
}

/// <summary>The store's volumes folder and lock, and the names of the volumes to remove (docker run --rm's anonymous volumes).</summary>
internal sealed record VolumeRemoval(string VolumesFolder, string VolumesLock, IReadOnlyList<string> Names);
