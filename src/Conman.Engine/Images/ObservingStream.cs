namespace Conman.Engine.Images;

/// <summary>
/// A read-only stream that shows every byte read to an observer: to hash a layer while it is
/// unpacked, or to count the bytes of a download for its progress bar.
/// </summary>
internal sealed class ObservingStream(Stream inner, Action<ReadOnlySpan<byte>> observe, bool leaveOpen = false) : ForwardingReadStream(inner)
{
    public override int Read(Span<byte> buffer)
    {
        int read = Inner.Read(buffer);
        if (read > 0) observe(buffer[..read]);
        return read;
    }

    /// <summary>Reads what is left, so that the observer sees the whole stream (a tar's trailing padding, say).</summary>
    public void Drain()
    {
        var buffer = new byte[81920];
        while (Read(buffer) > 0) { }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) Inner.Dispose();
        base.Dispose(disposing);
    }
}
