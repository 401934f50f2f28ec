using Conman.Native;
using Conman.Protocol;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Logs;

/// <summary>
/// A container's log read as one stream: its rotated files, oldest first, then the file its shim
/// writes (docs/on-disk.md). Each file is opened once and read through its descriptor, so one the
/// shim renames or deletes meanwhile is still read whole. The shim renames a file only after its
/// last write: a file that no longer has the log's name is complete, and a follower that has read
/// to the end adds the files that came after it (<see cref="FollowRotation"/>). Files are known by
/// their inode, which their names change around.
/// </summary>
internal sealed unsafe class LogFileSequence : Stream
{
    private readonly string _path;
    /// <summary>Oldest first. A file's Start is where its first byte is in the sequence.</summary>
    private readonly List<Segment> _segments = [];
    private long _position;

    private sealed record Segment(SafeFileHandle File, FileIdentity Identity, long Start);

    private readonly record struct FileIdentity(ulong Device, ulong Inode);

    private LogFileSequence(string path) => _path = path;

    /// <summary>The log's files as they are now; none when the log does not exist (yet).</summary>
    public static LogFileSequence Open(string path)
    {
        var sequence = new LogFileSequence(path);
        sequence.AppendAfter(null);
        return sequence;
    }

    public bool IsEmpty => _segments.Count == 0;

    /// <summary>
    /// Once the last file is no longer the one the shim writes (it rotated it), adds the files
    /// that came after it, and lets go of those read to their end.
    /// </summary>
    public void FollowRotation()
    {
        if (_segments.Count > 0 && Identify(_path) == _segments[^1].Identity) return;
        if (!AppendAfter(_segments.Count == 0 ? null : _segments[^1].Identity)) return;
        while (_segments.Count > 1 && _segments[1].Start <= _position)
        {
            _segments[0].File.Dispose();
            _segments.RemoveAt(0);
        }
    }

    /// <summary>The files after <paramref name="last"/> (all of them for null), oldest first.</summary>
    /// <returns>Whether any was added.</returns>
    private bool AppendAfter(FileIdentity? last)
    {
        // The file the shim writes first: should it be rotated before the list is read, it is in
        // the list, and what follows it is left for a later call.
        var current = TryOpen(_path);
        if (current is not null && current.Value.Identity == last)
        {
            current.Value.File.Dispose();
            return false;
        }
        var rotated = RotatedLogs.List(_path).Select(r => (r.Path, Identity: Identify(r.Path))).ToList();
        // Not found: the last file was rotated and then deleted (the bound), so every rotated file is newer.
        int from = last is null ? 0 : rotated.FindIndex(r => r.Identity == last) + 1;
        int to = current is null ? rotated.Count : rotated.FindIndex(r => r.Identity == current.Value.Identity);
        if (to < 0) to = rotated.Count;
        bool added = false;
        for (int i = from; i < to; i++)
        {
            // One the shim deleted since the list was read is older than the rest: it is gone for every reader.
            if (TryOpen(rotated[i].Path) is not { } file) continue;
            Add(file);
            added = true;
        }
        if (current is { } opened)
        {
            Add(opened);
            added = true;
        }
        return added;
    }

    private void Add((SafeFileHandle File, FileIdentity Identity) file)
    {
        // The file before it was rotated, so its length is final.
        long start = _segments.Count == 0 ? 0 : _segments[^1].Start + RandomAccess.GetLength(_segments[^1].File);
        _segments.Add(new Segment(file.File, file.Identity, start));
    }

    private static (SafeFileHandle File, FileIdentity Identity)? TryOpen(string path)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        LibC.FileStatus status;
        if (LibC.fstat((int)file.DangerousGetHandle(), &status) != 0)
        {
            file.Dispose();
            return null;
        }
        return (file, new FileIdentity(status.Device, status.Inode));
    }

    private static FileIdentity? Identify(string path)
    {
        LibC.FileStatus status;
        return LibC.lstat(path, &status) == 0 ? new FileIdentity(status.Device, status.Inode) : null;
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            int i = _segments.FindLastIndex(s => s.Start <= _position);
            if (i < 0) return 0;
            var segment = _segments[i];
            int n = RandomAccess.Read(segment.File, buffer, _position - segment.Start);
            if (n > 0)
            {
                _position += n;
                return n;
            }
            if (i == _segments.Count - 1) return 0;
            _position = _segments[i + 1].Start;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override long Length => _segments.Count == 0 ? 0 : _segments[^1].Start + RandomAccess.GetLength(_segments[^1].File);

    public override long Position
    {
        get => _position;
        set => _position = value >= (_segments.Count == 0 ? 0 : _segments[0].Start) ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var segment in _segments) segment.File.Dispose();
            _segments.Clear();
        }
        base.Dispose(disposing);
    }
}
