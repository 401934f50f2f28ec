using Conman.Engine.Shim;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// A process exec'd into a running container, supervised by its own shim, with the client's
/// attach stream. Disposing it closes the stream and, once the process has ended, removes its files.
/// </summary>
public sealed class ExecSession(StoreLayout layout, string containerId, string execId, AttachStream stream) : IDisposable
{
    public string ExecId { get; } = execId;
    public AttachStream Stream { get; } = stream;

    /// <summary>The exit record the exec's shim wrote, once the process ended.</summary>
    public ExitRecord? ReadExit() => AtomicFile.Read(layout.ExecExitPath(containerId, ExecId), ExitRecord.Parser);

    public void Dispose()
    {
        Stream.Dispose();
        // A session left while the process still runs (detached) keeps its files until the
        // container is removed; the shim still needs them.
        if (ReadExit() is null) return;
        File.Delete(layout.SocketPath(ExecId));
        Directory.Delete(layout.ExecFolder(containerId, ExecId), recursive: true);
    }
}
