using Conman.Engine.Shim;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Engine.Containers;

/// <summary>
/// A process exec'd into a running container, supervised by its own shim, with the client's
/// attach stream. Disposing it closes the stream and, once the process has ended, removes its files.
/// </summary>
public sealed class ExecSession : IDisposable
{
    private readonly StoreLayout _layout;
    private readonly string _containerId;
    /// <summary>Names the exec's files and its shim's socket.</summary>
    private readonly string _execId;

    internal ExecSession(StoreLayout layout, string containerId, string execId, AttachStream stream)
    {
        _layout = layout;
        _containerId = containerId;
        _execId = execId;
        Stream = stream;
    }

    public AttachStream Stream { get; }

    /// <summary>How the process ended, as the exec's shim recorded it; null before it ended, or when the record is not whole.</summary>
    public ExitStatus? ReadExit() => ReadExitRecord() is { } exit ? ExitStatus.From(exit) : null;

    private ExitRecord? ReadExitRecord() =>
        ReadWhole(_layout.ExecExitPath(_containerId, _execId), ExitRecord.Parser) is { Shim: not null, FinishedAt: not null } exit ? exit : null;

    /// <summary>
    /// Why the process's end will never be known: its shim died without an exit record (killed,
    /// say), which is not a session cut off for reading too slowly. Null while the shim runs, and
    /// once it recorded the end.
    /// </summary>
    public string? LostReason()
    {
        if (ReadExit() is not null) return null;
        if (ReadWhole(_layout.ExecRunPath(_containerId, _execId), RunRecord.Parser) is not { Shim: { } shim }) return null;
        if (ProcessIdentity.IsAlive(shim.Pid, shim.StartTime)) return null;
        // The shim writes the exit record, then exits: look again before calling it lost.
        return ReadExit() is null ? $"its shim (pid {shim.Pid}) died without recording how the command ended" : null;
    }

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

    public void Dispose()
    {
        Stream.Dispose();
        // A session left while the process still runs (detached) keeps its files until the
        // container is removed; the shim still needs them.
        if (ReadExit() is null && LostReason() is null) return;
        File.Delete(_layout.SocketPath(_execId));
        Directory.Delete(_layout.ExecFolder(_containerId, _execId), recursive: true);
    }
}
