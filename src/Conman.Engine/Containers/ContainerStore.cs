using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Engine.Containers;

/// <summary>
/// The container records on disk and the state derived from them. Deriving a state reads at most
/// the exit record and /proc/PID/stat of the shim: no process is spawned per container.
/// </summary>
public sealed class ContainerStore(StoreLayout layout)
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

    public ContainerRecord? Load(string id) => AtomicFile.Read(Layout.RecordPath(id), ContainerRecord.Parser);

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
            // The container's log can fill the file system the record is on before the record of
            // its start is written (the shim counts what the log lost): the record is written into
            // the space set aside when the container was made, which then takes its place. Once.
            AtomicFile.WriteInto(Layout.RecordReservePath(record.Id), Layout.RecordPath(record.Id), record.ToByteArray());
        }
    }

    /// <summary>Sets space aside for the container's record; see <see cref="Save"/>.</summary>
    public void ReserveRecordSpace(string id) => AtomicFile.Reserve(Layout.RecordReservePath(id), RecordReserveSize);

    public ContainerSnapshot Inspect(ContainerRecord record)
    {
        string log = Layout.LogPath(record.Id);
        // No shim, or one whose start never got as far as running the container: created, not (yet) started.
        if (record.Shim is null || record.StartedAt is null) return new ContainerSnapshot(record, ContainerState.Created, null, null, null, null, null, log);
        if (ReadExit(record.Id) is { } exit) return Exited(record, exit, log);
        if (ProcessIdentity.IsAlive(record.Shim.Pid, record.Shim.StartTime))
        {
            return new ContainerSnapshot(record, ContainerState.Running, record.Shim.ContainerPid, null, null, null, null, log);
        }
        // The shim writes the exit record, then exits: look again before calling it lost.
        if (ReadExit(record.Id) is { } late) return Exited(record, late, log);
        return new ContainerSnapshot(record, ContainerState.Unknown, null, null, null, null,
            $"its shim (pid {record.Shim.Pid}) died without recording how the container ended", log);
    }

    public ExitRecord? ReadExit(string id) => AtomicFile.Read(Layout.ExitPath(id), ExitRecord.Parser);

    private static ContainerSnapshot Exited(ContainerRecord record, ExitRecord exit, string log) =>
        new(record, ContainerState.Exited, null, exit.ExitCode, exit.HasSignal ? exit.Signal : null,
            exit.FinishedAt?.ToDateTimeOffset(), null, log, exit.LostLogBytes);

    /// <summary>
    /// Finds a container by full id, by name, or by a unique id prefix, in that order, as Docker does.
    /// </summary>
    public ContainerRecord Resolve(string idOrName)
    {
        if (ContainerName.LooksLikeId(idOrName) && idOrName.Length == 64 && Load(idOrName) is { } exact) return exact;
        var all = LoadAll().ToList();
        if (all.FirstOrDefault(r => r.Name == idOrName) is { } named) return named;
        if (ContainerName.LooksLikeId(idOrName))
        {
            var matches = all.Where(r => r.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
            {
                throw new ConmanException(ConmanErrorKind.InvalidArgument, "AmbiguousContainerId",
                    $"The id prefix '{idOrName}' matches {matches.Count} containers; give more of it.", idOrName);
            }
        }
        throw NotFound(idOrName);
    }

    public static ConmanException NotFound(string idOrName) =>
        new(ConmanErrorKind.NotFound, "ContainerNotFound", $"No container with the name or id '{idOrName}' was found.", idOrName);
}
