namespace Conman.Engine.Files;

/// <summary>
/// A file's content as long as it was when it was looked at, however it changes while it is read:
/// bytes written after that point are left out, and a file cut short meanwhile reads as zeros up to
/// that length. So a tar header written from the length always tells the truth about the bytes that
/// follow it (.NET's tar writer takes the size from <see cref="Length"/> and then copies until the
/// stream ends): a running container that grows a file during a commit cannot smuggle entries of its
/// own into the layer, and a copy of a file something keeps writing ends.
/// </summary>
internal sealed class ExactLengthStream(Stream inner, long length) : Stream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long left = length - _position;
        if (left <= 0 || buffer.IsEmpty) return 0;
        var wanted = buffer[..(int)Math.Min(buffer.Length, left)];
        int read = inner.Read(wanted);
        if (read == 0)
        {
            // The file shrank: what it no longer holds reads as zeros, as a hole would.
            wanted.Clear();
            read = wanted.Length;
        }
        _position += read;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
