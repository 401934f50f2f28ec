namespace Conman.Engine.Images;

/// <summary>
/// A read-only stream that shows every byte read to an observer: to hash a layer while it is
/// unpacked, or to count the bytes of a download for its progress bar.
/// </summary>
public sealed class ObservingStream(Stream inner, Action<ReadOnlySpan<byte>> observe, bool leaveOpen = false) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        if (read > 0) observe(buffer[..read]);
        return read;
    }

    /// <summary>Reads what is left, so that the observer sees the whole stream (a tar's trailing padding, say).</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer) > 0) { }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
