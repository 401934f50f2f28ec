namespace Conman.Engine.Shim;

/// <summary>What an interactive session needs of an attach connection (AttachStream, or a fake in tests).</summary>
public interface IAttachConnection : IDisposable
{
    /// <summary>Blocks for the next output or the run's end; null at the end of the connection.</summary>
    AttachEvent? Read();

    void WriteStdin(ReadOnlySpan<byte> data);

    void CloseStdin();

    void Resize(ushort rows, ushort columns);
}
