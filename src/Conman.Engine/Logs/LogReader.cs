namespace Conman.Engine.Logs;

/// <summary>
/// Reads a container's log back as entries: all, the last N, since a time, following. Entries
/// are yielded as they are read, so the first line of a log of gigabytes comes at once and the
/// memory used is a read buffer (and, with -Tail N, the last N entries), whatever its length.
/// The log's rotated files and the one its shim writes are read as one (<see cref="LogFileSequence"/>),
/// so an entry whose partial lines a rotation put in two files comes out whole.
/// </summary>
internal static class LogReader
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="path">The log the shim writes; its rotated files are beside it.</param>
    /// <param name="stillRunning">When given, follow: keep reading new output until this returns false.</param>
    public static IEnumerable<LogEntry> Read(string path, LogQuery query, Func<bool>? stillRunning = null, CancellationToken cancel = default)
    {
        using var files = LogFileSequence.Open(path);
        if (files.IsEmpty) yield break;
        // The last N entries need only the end of the log (with -Since, every entry's time counts).
        if (query.Tail is int tail && query.Since is null) files.Seek(LogTailLocator.Find(files, tail, query.Stream), SeekOrigin.Begin);
        var reader = new EntryReader(files);

        bool Accept(LogEntry entry) =>
            (query.Since is not { } since || entry.Timestamp >= since) && (query.Stream is not { } s || entry.Stream == s);

        var first = reader.ReadAvailable(final: stillRunning is null).Where(Accept);
        if (query.Tail is int count) first = Last(first, count);
        foreach (var entry in first) yield return entry;

        if (stillRunning is null) yield break;
        while (!cancel.IsCancellationRequested)
        {
            bool running = stillRunning();
            // After the check: a container that is no longer running has written (and rotated) its last.
            files.FollowRotation();
            foreach (var entry in reader.ReadAvailable(final: !running).Where(Accept)) yield return entry;
            if (!running) yield break;
            cancel.WaitHandle.WaitOne(FollowInterval);
        }
    }

    /// <summary>The last <paramref name="count"/> entries, holding no more than that many.</summary>
    private static IEnumerable<LogEntry> Last(IEnumerable<LogEntry> entries, int count)
    {
        if (count <= 0) return [];
        var last = new Queue<LogEntry>(Math.Min(count, 1024));
        foreach (var entry in entries)
        {
            if (last.Count == count) last.Dequeue();
            last.Enqueue(entry);
        }
        return last;
    }

    /// <summary>The log's lines, split as bytes and parsed one at a time; a line the shim has not finished writing waits for the next read.</summary>
    private sealed class EntryReader(Stream file)
    {
        private readonly CriLogParser _parser = new();
        private readonly byte[] _buffer = new byte[64 * 1024];
        // The unfinished line at the end of what was read so far.
        private byte[] _pending = new byte[256];
        private int _pendingLength;
        private DateTimeOffset _lastTimestamp = DateTimeOffset.MinValue;

        /// <summary>What is there now; with <paramref name="final"/>, also the output the container left without a newline.</summary>
        public IEnumerable<LogEntry> ReadAvailable(bool final)
        {
            int read;
            while ((read = file.Read(_buffer)) > 0)
            {
                int start = 0, newline;
                while ((newline = Array.IndexOf(_buffer, (byte)'\n', start, read - start)) >= 0)
                {
                    LogEntry? entry;
                    if (_pendingLength == 0)
                    {
                        entry = _parser.Parse(_buffer.AsSpan(start, newline - start));
                    }
                    else
                    {
                        Append(_buffer.AsSpan(start, newline - start));
                        entry = _parser.Parse(_pending.AsSpan(0, _pendingLength));
                        _pendingLength = 0;
                    }
                    start = newline + 1;
                    if (entry is null) continue;
                    _lastTimestamp = entry.Timestamp;
                    yield return entry;
                }
                Append(_buffer.AsSpan(start, read - start));
            }
            if (!final) yield break;
            foreach (var entry in _parser.Flush(_lastTimestamp)) yield return entry;
        }

        private void Append(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) return;
            if (_pending.Length - _pendingLength < data.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + data.Length));
            data.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += data.Length;
        }
    }
}
