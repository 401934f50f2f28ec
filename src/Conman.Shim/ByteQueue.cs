namespace Conman.Shim;

/// <summary>Bytes waiting to be written to a non-blocking fd, oldest first.</summary>
internal sealed class ByteQueue
{
    // Not zeroed: pages only become resident once stdin passes through them.
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(16 * 1024);
    private int _start;
    private int _end;

    public int Count => _end - _start;
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, Count);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _end < data.Length)
        {
            var target = Count + data.Length <= _buffer.Length ? _buffer : new byte[Math.Max(_buffer.Length * 2, Count + data.Length)];
            Buffer.BlockCopy(_buffer, _start, target, 0, Count);
            (_end, _start, _buffer) = (Count, 0, target);
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    public void Clear() => _start = _end = 0;
}
