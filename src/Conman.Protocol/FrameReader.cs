using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>
/// Reassembles varint-length-delimited <see cref="ShimFrame"/>s from bytes that arrive in
/// arbitrary pieces: a frame may be split across reads, and one read may hold several frames.
/// </summary>
internal sealed class FrameReader
{
    /// <summary>Frames larger than this are a protocol violation, not data to buffer.</summary>
    public const int MaxFrameLength = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Space to read into; call <see cref="Commit"/> with the count read.</summary>
    public Span<byte> GetWriteSpan(int minimum = 4096)
    {
        if (_buffer.Length - _end < minimum)
        {
            int live = _end - _start;
            if (_start > 0 && _buffer.Length - live >= minimum)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
            }
            else
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, live + minimum)];
                Buffer.BlockCopy(_buffer, _start, bigger, 0, live);
                _buffer = bigger;
            }
            _start = 0;
            _end = live;
        }
        return _buffer.AsSpan(_end);
    }

    public void Commit(int count) => _end += count;

    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetWriteSpan(data.Length));
        Commit(data.Length);
    }

    /// <summary>Bytes received that do not yet form a whole frame.</summary>
    public int Pending => _end - _start;

    /// <summary>Takes the next whole frame, if one has arrived.</summary>
    /// <exception cref="InvalidDataException">The peer sent a malformed or oversized frame.</exception>
    public bool TryRead(out ShimFrame frame)
    {
        frame = null!;
        if (!TryReadBody(out var body)) return false;
        try
        {
            frame = ShimFrame.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Frame is not a valid ShimFrame.", e);
        }
        return true;
    }

    /// <summary>
    /// Takes the next whole frame's message bytes, valid until this reader is used again. The
    /// shim decodes them with <see cref="ShimWire"/>, without the generated classes.
    /// </summary>
    public bool TryReadBody(out ReadOnlySpan<byte> body)
    {
        body = default;
        int length = 0, shift = 0, position = _start;
        while (true)
        {
            if (position == _end) return false;
            byte b = _buffer[position++];
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
            shift += 7;
            if (shift > 28) throw new InvalidDataException("Frame length prefix is malformed.");
        }
        if (length < 0 || length > MaxFrameLength) throw new InvalidDataException($"Frame of {length} bytes exceeds the limit.");
        if (_end - position < length) return false;
        body = _buffer.AsSpan(position, length);
        _start = position + length;
        if (_start == _end) _start = _end = 0;
        return true;
    }
}
