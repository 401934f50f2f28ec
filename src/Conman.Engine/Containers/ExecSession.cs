using Conman.Engine.Shim;
using Conman.Protocol;

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

    /// <summary>The exit record the exec's shim wrote, once the process ended.</summary>
    public ExitRecord? ReadExit() => AtomicFile.Read(_layout.ExecExitPath(_containerId, _execId), ExitRecord.Parser);

    public void Dispose()
    {
        Stream.Dispose();
        // A session left while the process still runs (detached) keeps its files until the
        // container is removed; the shim still needs them.
        if (ReadExit() is null) return;
        File.Delete(_layout.SocketPath(_execId));
        Directory.Delete(_layout.ExecFolder(_containerId, _execId), recursive: true);
    }
}
