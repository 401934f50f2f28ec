using System.Net.Sockets;
using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>
/// A client of a shim's attach socket: output frames in, stdin out. The last frame from the shim
/// is the exit record; a connection that ends without one means the shim went away.
/// </summary>
public sealed class AttachStream : IAttachConnection
{
    private readonly Socket _socket;
    private readonly FrameReader _incoming = new();
    private readonly object _sendLock = new();

    private AttachStream(Socket socket) => _socket = socket;

    /// <summary>Connects and says which streams to receive; null when nothing listens there.</summary>
    internal static AttachStream? TryConnect(string socketPath, AttachRequest request)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
        var stream = new AttachStream(socket);
        try
        {
            stream.Send(new ShimFrame { Attach = request });
        }
        catch (IOException)
        {
            // The shim was finishing: it closed the connection as it came in.
            stream.Dispose();
            return null;
        }
        return stream;
    }

    /// <summary>Blocks for the next output or the run's end; null at the end of the connection.</summary>
    /// <exception cref="InvalidDataException">A frame that is not one (the connection is then of no more use).</exception>
    public AttachEvent? Read()
    {
        while (ReadFrame() is { } frame)
        {
            if (AttachEvent.From(frame) is { } attached) return attached;
        }
        return null;
    }

    /// <summary>Blocks for the next frame; null at the end of the connection.</summary>
    internal ShimFrame? ReadFrame()
    {
        while (true)
        {
            if (_incoming.TryRead(out var frame)) return frame;
            int n;
            try
            {
                n = _socket.Receive(_incoming.GetWriteSpan());
            }
            catch (SocketException)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            if (n == 0) return null;
            _incoming.Commit(n);
        }
    }

    public void WriteStdin(ReadOnlySpan<byte> data)
    {
        const int chunk = 64 * 1024;
        for (int offset = 0; offset < data.Length; offset += chunk)
        {
            Send(new ShimFrame { Stdin = Google.Protobuf.ByteString.CopyFrom(data.Slice(offset, Math.Min(chunk, data.Length - offset))) });
        }
    }

    public void CloseStdin() => Send(new ShimFrame { StdinClose = new StdinClose() });

    /// <summary>Resizes the container's pseudo-terminal (ignored by the shim without one).</summary>
    public void Resize(ushort rows, ushort columns) =>
        Send(new ShimFrame { Resize = new Resize { Rows = rows, Columns = columns } });

    /// <summary>Asks the shim to stop its container: the signal now, SIGKILL once the timeout passed.</summary>
    internal void RequestStop(int signal, TimeSpan timeout) =>
        Send(new ShimFrame { Stop = new StopRequest { Signal = signal, TimeoutMilliseconds = (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue) } });

    /// <summary>Asks the shim to signal its container; it answers with a signaled frame.</summary>
    internal void RequestSignal(int signal) => Send(new ShimFrame { Signal = new SignalRequest { Signal = signal } });

    /// <summary>
    /// Reads frames until the exit frame, the end of the connection, the limit or the caller's
    /// cancellation; returns the exit record when it came.
    /// </summary>
    internal ExitRecord? ReadUntilExit(TimeSpan? limit, CancellationToken cancel) =>
        ReadUntil(f => f.KindCase == ShimFrame.KindOneofCase.Exit, limit, cancel)?.Exit;

    /// <summary>
    /// Reads frames until one that <paramref name="wanted"/> accepts (returned), or the end of the
    /// connection, the limit or the caller's cancellation (null).
    /// </summary>
    internal ShimFrame? ReadUntil(Func<ShimFrame, bool> wanted, TimeSpan? limit, CancellationToken cancel)
    {
        var reading = Task.Run(() =>
        {
            while (ReadFrame() is { } frame)
            {
                if (wanted(frame)) return frame;
            }
            return null;
        });
        int waitMs = limit is { } l && l < TimeSpan.FromDays(1) ? Math.Max(0, (int)l.TotalMilliseconds) : Timeout.Infinite;
        try
        {
            return reading.Wait(waitMs, cancel) ? reading.Result : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private void Send(ShimFrame frame)
    {
        byte[] bytes = FrameWriter.Encode(frame);
        lock (_sendLock)
        {
            try
            {
                _socket.Send(bytes);
            }
            catch (SocketException e)
            {
                throw new IOException("The container's shim closed the attach connection.", e);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
