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
        _queue.Enqueue(frame);
        QueuedBytes += frame.Length;
        Flush();
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
