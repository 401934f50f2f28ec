using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Engine.Containers;

/// <summary>
/// The container records on disk and the state derived from them. Deriving a state reads at most
/// the run and exit records and /proc/PID/stat of the shim: no process is spawned per container.
/// </summary>
internal sealed class ContainerStore(StoreLayout layout)
{
    public StoreLayout Layout { get; } = layout;

    public IEnumerable<ContainerRecord> LoadAll()
    {
        if (!Directory.Exists(Layout.ContainersFolder)) yield break;
        foreach (string folder in Directory.EnumerateDirectories(Layout.ContainersFolder))
        {
            if (Load(Path.GetFileName(folder)) is { } record) yield return record;
        }
    }

    /// <summary>
    /// The container's record; null when its folder has none (a create or removal under way). A
    /// record that cannot be read whole (damaged, or written by an earlier version) is still the
    /// container's: it comes back without a definition (see <see cref="Unreadable"/>), so that it is
    /// listed, never breaks the listing of the others, and can be removed.
    /// </summary>
    public ContainerRecord? Load(string id)
    {
        ContainerRecord? record;
        try
        {
            record = AtomicFile.Read(Layout.RecordPath(id), ContainerRecord.Parser);
        }
        catch (InvalidProtocolBufferException)
        {
            record = new ContainerRecord();
        }
        if (record is null) return null;
        if (record.Id == id && record.Name.Length > 0 && record.Definition is not null && record.CreatedAt is not null && record.Format == RecordFormat)
        {
            record.Definition.WithGroups();
            return record;
        }
        // Named by its short id, as Docker shows a container by its id.
        return new ContainerRecord { Id = id, Name = id.Length > 12 ? id[..12] : id };
    }

    /// <summary>The shape of the definitions this version writes and reads (ContainerRecord.format).</summary>
    public const uint RecordFormat = 2;

    /// <summary>Whether the record is one <see cref="Load"/> could not read: it has no definition to start.</summary>
    public static bool Unreadable(ContainerRecord record) => record.Definition is null;

    private const string UnreadableReason = "its record (container.pb) cannot be read";

    /// <summary>Space set aside for the record, made with the container.</summary>
    public const int RecordReserveSize = 16 * 1024;
    private const int ENOSPC = 28;

    public void Save(ContainerRecord record)
    {
        try
        {
            AtomicFile.Write(Layout.RecordPath(record.Id), record);
        }
        catch (IOException e) when (e.HResult == ENOSPC && File.Exists(Layout.RecordReservePath(record.Id)))
        {
            // The container's log can fill the file system the record is on before the record is
            // written again (the shim counts what the log lost): the record is written into the
            // space set aside when the container was made, which then takes its place. Once.
            AtomicFile.WriteInto(Layout.RecordReservePath(record.Id), Layout.RecordPath(record.Id), record.ToByteArray());
        }
    }

    /// <summary>Sets space aside for the container's record; see <see cref="Save"/>.</summary>
    public void ReserveRecordSpace(string id) => AtomicFile.Reserve(Layout.RecordReservePath(id), RecordReserveSize);

    /// <summary>The run record; null when there is none, or none whole (it names no shim).</summary>
    public RunRecord? ReadRun(string id) => ReadWhole(Layout.RunPath(id), RunRecord.Parser) is { Shim: not null } run ? run : null;

    /// <summary>
    /// The exit record; null when there is none, or none whole: the shim writes each one complete
    /// (atomically) with its run's shim and finish time, so an empty or damaged file never reads
    /// as "exit code 0".
    /// </summary>
    public ExitRecord? ReadExit(string id) =>
        ReadWhole(Layout.ExitPath(id), ExitRecord.Parser) is { Shim: not null, FinishedAt: not null } exit ? exit : null;

    private static T? ReadWhole<T>(string path, MessageParser<T> parser) where T : class, IMessage<T>
    {
        try
        {
            return AtomicFile.Read(path, parser);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// The state, from what the shims wrote: a run that started and whose shim is alive is
    /// Running; the exit record that names the run's shim ends it (Exited); a started run whose
    /// shim is gone without one is Unknown. A run that never started (a start under way, failed
    /// or abandoned) changes nothing: the last run's exit, or Created.
    /// </summary>
    public ContainerSnapshot Inspect(ContainerRecord record)
    {
        var derived = Derive(record);
        if (!Unreadable(record) || derived.State == ContainerState.Removing) return derived;
        // What runs is still known from its shim's records; what it was made to run is not.
        return derived.State == ContainerState.Running
            ? derived with { StateReason = UnreadableReason }
            : derived with { State = ContainerState.Unknown, StateReason = UnreadableReason };
    }

    /// <summary>The container as its exit record says it ended, for one whose shim removes it at exit.</summary>
    public ContainerSnapshot Ended(ContainerRecord record, ExitRecord exit) => Snapshot(record, ContainerState.Exited, null, exit, null);

    private ContainerSnapshot Derive(ContainerRecord record)
    {
        string id = record.Id;
        if (File.Exists(Layout.RemovingMarkerPath(id)))
        {
            return Snapshot(record, ContainerState.Removing, null, null, "its removal began and did not finish");
        }
        var run = ReadRun(id);
        var exit = ReadExit(id);
        if (run is { StartedAt: not null, Shim: { } shim })
        {
            if (Ends(exit, run) && !exit!.Restarting) return Snapshot(record, ContainerState.Exited, run, exit, null);
            // Between two runs (its restart policy), the last run's end is what there is to show.
            if (ProcessIdentity.IsAlive(shim.Pid, shim.StartTime)) return Snapshot(record, ContainerState.Running, run, Ends(exit, run) ? exit : null, null);
            // The shim writes the exit record, then exits: look again before calling it lost.
            exit = ReadExit(id);
            if (Ends(exit, run) && !exit!.Restarting) return Snapshot(record, ContainerState.Exited, run, exit, null);
            return Snapshot(record, ContainerState.Unknown, run, null, $"its shim (pid {shim.Pid}) died without recording how the container ended");
        }
        return exit is null
            ? Snapshot(record, ContainerState.Created, null, null, null)
            : Snapshot(record, ContainerState.Exited, null, exit, null);
    }

    /// <summary>When it was made: from its record, or for an unreadable one, when its folder was.</summary>
    private DateTimeOffset CreatedAt(ContainerRecord record) =>
        record.CreatedAt?.ToDateTimeOffset() ?? new DateTimeOffset(Directory.GetCreationTimeUtc(Layout.ContainerFolder(record.Id)), TimeSpan.Zero);

    /// <summary>Whether the exit record ends this run: its shim's, and (a shim may run the container again) started when it did.</summary>
    private static bool Ends(ExitRecord? exit, RunRecord run) =>
        exit?.Shim is { } ended && ended.Pid == run.Shim.Pid && ended.StartTime == run.Shim.StartTime && Equals(exit.StartedAt, run.StartedAt);

    private ContainerSnapshot Snapshot(ContainerRecord record, ContainerState state, RunRecord? run, ExitRecord? exit, string? reason) =>
        new(record.Id, record.Name, CreatedAt(record), ContainerConfig.From((record.Definition ?? new ContainerDefinition()).WithGroups()), state,
            Pid: state == ContainerState.Running && run!.HasContainerPid && exit is null ? run.ContainerPid : null,
            StartedAt: (exit?.StartedAt ?? run?.StartedAt)?.ToDateTimeOffset(),
            FinishedAt: exit?.FinishedAt?.ToDateTimeOffset(),
            ExitCode: exit?.ExitCode,
            Signal: exit is { HasSignal: true } ? exit.Signal : null,
            StopRequested: exit?.StopRequested ?? false,
            StateReason: reason,
            LogPath: Layout.LogPath(record.Id),
            LostLogBytes: exit?.LostLogBytes ?? 0,
            OomKilled: exit?.OomKilled ?? false,
            Paused: state == ContainerState.Running && Resources.CgroupReader.Current.IsFrozen(record.Id),
            RestartCount: (int)(run?.RestartCount ?? 0),
            Restarting: state == ContainerState.Running && exit is not null,
            Health: state == ContainerState.Running && record.Definition?.HealthCheck is not null ? ReadHealth(record.Id, run!) : null)
        {
            Network = state == ContainerState.Running ? ReadNetwork(record.Id) : Networks.ContainerNetworkSettings.None,
        };

    /// <summary>What the run got from its networks (network.pb), written by its start; none when it is missing or not whole.</summary>
    private Networks.ContainerNetworkSettings ReadNetwork(string id) =>
        Networks.NetworkResources.RunState(Layout.NetworkStatePath(id)) is { } state
            ? Networks.ContainerNetworkSettings.From(state)
            : Networks.ContainerNetworkSettings.None;

    /// <summary>The health its shim recorded for this run; Starting until its first check ends.</summary>
    private Supervision.ContainerHealth ReadHealth(string id, RunRecord run) =>
        ReadWhole(Layout.HealthPath(id), HealthRecord.Parser) is { Shim: { } shim } health
            && shim.Pid == run.Shim.Pid && shim.StartTime == run.Shim.StartTime && Equals(health.RunStartedAt, run.StartedAt)
            ? Supervision.HealthChecks.From(health)
            : Supervision.HealthChecks.NotYetChecked;

    /// <summary>
    /// Finds a container by full id, by name, or by a unique id prefix, in that order, as Docker does.
    /// </summary>
    public ContainerRecord Resolve(string idOrName)
    {
        idOrName = ContainerName.WithoutLeadingSlash(idOrName);
        if (ContainerName.LooksLikeId(idOrName) && idOrName.Length == 64 && Load(idOrName.ToLowerInvariant()) is { } exact) return exact;
        var all = LoadAll().ToList();
        if (all.FirstOrDefault(r => r.Name == idOrName) is { } named) return named;
        if (ContainerName.LooksLikeId(idOrName)
            && IdResolver.ByUniquePrefix(idOrName, all, r => r.Id, ConmanErrors.AmbiguousContainerId) is { } byPrefix) return byPrefix;
        throw ConmanErrors.ContainerNotFound(idOrName);
    }
}
