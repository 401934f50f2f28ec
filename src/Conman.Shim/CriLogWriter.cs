using System.Text;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Appends container output to the log in the Kubernetes CRI format:
/// <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;text&gt;</c>. A line that ends in
/// this read is written with F; the unfinished rest of a read is written at once with P, so
/// nothing waits in the shim's memory for a newline that may never come. The log holds whole
/// entries only: a write the file system cut short (full) is cut back to its last whole entry,
/// so that once space comes back the next entry does not run on from half of one. With a bound
/// (<see cref="LogRotator"/>) the file is rotated between two entries, never inside one.
/// </summary>
internal sealed class CriLogWriter : IDisposable
{
    private static readonly byte[] StdoutTag = Encoding.ASCII.GetBytes(" stdout ");
    private static readonly byte[] StderrTag = Encoding.ASCII.GetBytes(" stderr ");
    private readonly string _path;
    private readonly LogRotator? _rotation;
    private int _fd;
    // Not zeroed: pages only become resident as output is written through them.
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(128 * 1024);

    // Where the log ends: the shim is its only writer, so this is where the next entry goes.
    private long _end;

    /// <summary>Bytes of log entries that could not be written (disk full, I/O error); those written are not counted.</summary>
    public long LostBytes { get; private set; }

    /// <param name="rotation">The log's bound; null for none.</param>
    public CriLogWriter(string path, LogRotator? rotation)
    {
        _path = path;
        _rotation = rotation;
        _fd = Open(path, out _end);
        if (_fd < 0) throw new IOException($"Cannot open log {path}: errno {LibC.Errno}");
    }

    /// <returns>The descriptor, or -1 (errno says why).</returns>
    private static unsafe int Open(string path, out long end)
    {
        end = 0;
        int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND | LibC.O_CLOEXEC, (int)FileModes.OwnerOnly);
        if (fd < 0) return -1;
        LibC.FileStatus status;
        if (LibC.fstat(fd, &status) != 0)
        {
            Fd.Close(ref fd);
            return -1;
        }
        end = status.Size;
        return fd;
    }

    public void Write(bool stderr, ReadOnlySpan<byte> data)
    {
        Span<byte> timestamp = stackalloc byte[40];
        int timestampLength = FormatTimestamp(DateTime.UtcNow, timestamp);
        byte[] tag = stderr ? StderrTag : StdoutTag;
        // Worst case: every byte is a newline, each becoming a whole entry.
        int worst = data.Length + (data.Count((byte)'\n') + 1) * (timestampLength + tag.Length + 3);
        if (_buffer.Length < worst) _buffer = new byte[worst];

        int length = 0;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> text = newline < 0 ? data : data[..newline];
            int entryLength = timestampLength + tag.Length + 3 + text.Length;
            if (_rotation is not null && _rotation.IsDue(_end + length, entryLength))
            {
                // The entries so far end the file they fit in; this one starts the next.
                Append(length);
                length = 0;
                Rotate();
            }
            timestamp[..timestampLength].CopyTo(_buffer.AsSpan(length)); length += timestampLength;
            tag.CopyTo(_buffer.AsSpan(length)); length += tag.Length;
            _buffer[length++] = newline < 0 ? (byte)'P' : (byte)'F';
            _buffer[length++] = (byte)' ';
            text.CopyTo(_buffer.AsSpan(length)); length += text.Length;
            _buffer[length++] = (byte)'\n';
            data = newline < 0 ? default : data[(newline + 1)..];
        }
        Append(length);
    }

    /// <summary>Writes the first <paramref name="length"/> bytes of the buffer: whole entries.</summary>
    private void Append(int length)
    {
        if (length == 0) return;
        if (Fd.WriteAll(_fd, _buffer.AsSpan(0, length), out int written))
        {
            _end += length;
            return;
        }
        // The entries written whole stay; the one cut short goes, and with it what did not fit.
        int whole = written == 0 ? 0 : _buffer.AsSpan(0, written).LastIndexOf((byte)'\n') + 1;
        if (whole < written) LibC.ftruncate(_fd, _end + whole);
        _end += whole;
        LostBytes += length - whole;
    }

    /// <summary>
    /// The file written so far becomes a rotated one and a new file takes the log's name. Renamed
    /// after its last write, so a reader that sees the new file knows the old one is complete.
    /// Should no new file open, the log goes on in the one it has, under its own name again. A
    /// file deleted under the shim is replaced, not written on unseen and without a bound.
    /// </summary>
    private void Rotate()
    {
        string? rotated = _rotation!.RenameCurrent();
        if (rotated is null && File.Exists(_path)) return;
        int fd = Open(_path, out long end);
        if (fd < 0)
        {
            if (rotated is not null) _rotation.Restore(rotated);
            return;
        }
        Fd.Close(ref _fd);
        _fd = fd;
        _end = end;
        if (rotated is not null) _rotation.Keep(rotated);
    }

    public void Sync() => LibC.fsync(_fd);

    public void Dispose() => Fd.Close(ref _fd);

    /// <summary>
    /// RFC 3339 with nine fractional digits, as the CRI format and Go's RFC3339Nano write. Written
    /// digit by digit: .NET's date formatting pulls culture data into the shim.
    /// </summary>
    private static int FormatTimestamp(DateTime utc, Span<byte> destination)
    {
        int n = 0;
        void Digits(Span<byte> d, int value, int width)
        {
            for (int i = width - 1; i >= 0; i--)
            {
                d[n + i] = (byte)('0' + value % 10);
                value /= 10;
            }
            n += width;
        }
        Digits(destination, utc.Year, 4); destination[n++] = (byte)'-';
        Digits(destination, utc.Month, 2); destination[n++] = (byte)'-';
        Digits(destination, utc.Day, 2); destination[n++] = (byte)'T';
        Digits(destination, utc.Hour, 2); destination[n++] = (byte)':';
        Digits(destination, utc.Minute, 2); destination[n++] = (byte)':';
        Digits(destination, utc.Second, 2); destination[n++] = (byte)'.';
        Digits(destination, (int)(utc.Ticks % TimeSpan.TicksPerSecond), 7);
        destination[n++] = (byte)'0';
        destination[n++] = (byte)'0';
        destination[n++] = (byte)'Z';
        return n;
    }
}
