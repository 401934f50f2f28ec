namespace Conman.Engine.Logs;

/// <summary>Reads a container's log back as entries: all, the last N, since a time, following.</summary>
internal static class LogReader
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="stillRunning">When given, follow: keep reading new output until this returns false.</param>
    public static IEnumerable<LogEntry> Read(string path, LogQuery query, Func<bool>? stillRunning = null, CancellationToken cancel = default)
    {
        if (!File.Exists(path)) yield break;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // The last N entries need only the end of the file (with -Since, every entry's time counts).
        if (query.Tail is int tail && query.Since is null) file.Seek(LogTailLocator.Find(file, tail, query.Stream), SeekOrigin.Begin);
        var parser = new CriLogParser();
        var decoder = new LineDecoder(trimCarriageReturn: false);
        var lines = new List<string>();
        var buffer = new byte[64 * 1024];
        DateTimeOffset lastTimestamp = DateTimeOffset.MinValue;

        bool Accept(LogEntry entry) =>
            (query.Since is not { } since || entry.Timestamp >= since) && (query.Stream is not { } s || entry.Stream == s);

        // What is there now; at the end, also output the container left without a newline.
        List<LogEntry> ReadAvailable(bool final)
        {
            var found = new List<LogEntry>();
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                // A line the shim has not finished writing waits in the decoder for the next read.
                lines.Clear();
                decoder.Add(buffer.AsSpan(0, read), lines);
                foreach (string line in lines)
                {
                    if (parser.Parse(line) is { } entry)
                    {
                        lastTimestamp = entry.Timestamp;
                        found.Add(entry);
                    }
                }
            }
            if (final) found.AddRange(parser.Flush(lastTimestamp));
            found.RemoveAll(entry => !Accept(entry));
            return found;
        }

        var first = ReadAvailable(final: stillRunning is null);
        if (query.Tail is int count) first = count <= 0 ? [] : first.Skip(Math.Max(0, first.Count - count)).ToList();
        foreach (var entry in first) yield return entry;

        if (stillRunning is null) yield break;
        while (!cancel.IsCancellationRequested)
        {
            bool running = stillRunning();
            foreach (var entry in ReadAvailable(final: !running)) yield return entry;
            if (!running) yield break;
            cancel.WaitHandle.WaitOne(FollowInterval);
        }
    }
}
