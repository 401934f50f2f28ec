using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// One client on the attach socket. Output for it is queued and written as the socket takes it;
/// a client that lets its queue grow past <see cref="MaxQueuedBytes"/> is cut off, so that a
/// stalled reader never stalls the container or the log.
/// </summary>
internal sealed class AttachClient
{
    public const int MaxQueuedBytes = 16 * 1024 * 1024;

    private readonly Queue<byte[]> _queue = new();
    private int _headOffset;
    private int _fd;

    public AttachClient(int fd) => _fd = fd;

    public int Fd => _fd;
    public FrameReader Incoming { get; } = new();
    /// <summary>Null until the client's first frame says what it wants.</summary>
    public AttachStreams? Request { get; set; }
    public long QueuedBytes { get; private set; }
    public bool HasQueuedOutput => _queue.Count > 0;
    public bool IsClosed => _fd < 0;

    public bool Wants(bool stderr) => Request is { } r && (stderr ? r.Stderr : r.Stdout);

    public void Enqueue(byte[] frame)
    {
        if (IsClosed) return;
        Queue(frame);
        Flush();
        CutOffIfTooFarBehind();
    }

    /// <summary>
    /// Sends one frame of output. When nothing waits before it, the header and the data go out
    /// together straight from the caller's buffer; only what the socket did not take is copied
    /// into the queue. Output is most of what a shim sends, so this spares a copy and an array
    /// per read.
    /// </summary>
    public void SendOutput(bool stderr, ReadOnlySpan<byte> data)
    {
        if (IsClosed) return;
        Span<byte> header = stackalloc byte[FrameWriter.MaxOutputHeaderLength];
        header = header[..FrameWriter.WriteOutputHeader(stderr, data.Length, header)];
        int sent = 0;
        if (_queue.Count == 0)
        {
            sent = Shim.Fd.SendSome(_fd, header, data);
            if (sent < 0) { Close(); return; }
            if (sent == header.Length + data.Length) return;
        }
        var rest = GC.AllocateUninitializedArray<byte>(header.Length + data.Length - sent);
        if (sent < header.Length)
        {
            header[sent..].CopyTo(rest);
            data.CopyTo(rest.AsSpan(header.Length - sent));
        }
        else
        {
            data[(sent - header.Length)..].CopyTo(rest);
        }
        Queue(rest);
        CutOffIfTooFarBehind();
    }

    private void Queue(byte[] bytes)
    {
        _queue.Enqueue(bytes);
        QueuedBytes += bytes.Length;
    }

    private void CutOffIfTooFarBehind()
    {
        if (QueuedBytes > MaxQueuedBytes) Close();
    }

    /// <summary>Writes queued frames until the socket would block.</summary>
    public void Flush()
    {
        while (!IsClosed && _queue.TryPeek(out var head))
        {
            int n = Shim.Fd.WriteSome(_fd, head.AsSpan(_headOffset), socket: true);
            if (n < 0) { Close(); return; }
            if (n == 0) return;
            _headOffset += n;
            QueuedBytes -= n;
            if (_headOffset == head.Length)
            {
                _queue.Dequeue();
                _headOffset = 0;
            }
        }
    }

    public void Close()
    {
        if (_fd >= 0) LibC.close(_fd);
        _fd = -1;
        _queue.Clear();
        QueuedBytes = 0;
    }
}
