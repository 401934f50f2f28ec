namespace Conman.Engine.Logs;

/// <summary>
/// Finds where to start reading a CRI log so that its last N entries are read without reading
/// the whole file: lines are read backwards, a block at a time. The start must not fall inside
/// an entry that partial (P) lines split, on either stream, or that entry would come out cut.
/// </summary>
internal static class LogTailLocator
{
    private const int BlockSize = 64 * 1024;

    /// <summary>
    /// How far before the start a stream's last line is looked for. A container that writes only
    /// stdout has no stderr line at all, and looking for one read the whole log backwards for
    /// every -Tail. The cost of the bound: the unfinished last entry of a stream silent for this
    /// long before the tail (a fragment with no newline, written long ago and never ended) is
    /// left out of the tail, though reading the whole log would end with it.
    /// </summary>
    internal const long SilentStreamSearchLimit = 1024 * 1024;

    private readonly record struct LogLine(long Offset, bool Stderr, bool Full);

    /// <summary>The byte offset of the first line to read; 0 when the whole file is needed.</summary>
    public static long Find(Stream file, int tail, LogStream? stream)
    {
        var reader = new BackwardLineReader(file);
        var seen = new List<LogLine>(); // newest first
        int complete = 0;
        int start = -1; // index in `seen` of the first line to read
        while (true)
        {
            if (start < 0)
            {
                if (!reader.TryRead(out var line)) return 0;
                seen.Add(line);
                if (line.Full && (stream is not { } s || line.Stderr == (s == LogStream.Stderr)) && ++complete == tail) start = seen.Count - 1;
                continue;
            }
            // The start is safe when, for each stream read, the nearest earlier line of that stream
            // ends a whole entry (or there is none); otherwise move it back to take in that entry's
            // partial line. With -Stream only that stream is read; without, a stream silent near
            // the end may still have an unfinished entry further back, so both are looked for.
            int? unsafeAt = FirstPartialBefore(seen, start, reader, stream);
            if (unsafeAt is null) return seen[start].Offset;
            start = unsafeAt.Value;
        }
    }

    /// <summary>The index of a partial line that is the nearest earlier line of its stream, if any.</summary>
    private static int? FirstPartialBefore(List<LogLine> seen, int start, BackwardLineReader reader, LogStream? stream)
    {
        // true: nothing to look for on that stream
        bool stdoutFound = stream == LogStream.Stderr, stderrFound = stream == LogStream.Stdout;
        for (int i = start + 1; !(stdoutFound && stderrFound); i++)
        {
            if (i == seen.Count)
            {
                if (!reader.TryRead(out var earlier)) return null;
                seen.Add(earlier);
            }
            var line = seen[i];
            if (seen[start].Offset - line.Offset > SilentStreamSearchLimit) return null;
            ref bool found = ref line.Stderr ? ref stderrFound : ref stdoutFound;
            if (found) continue;
            found = true;
            if (!line.Full) return i;
        }
        return null;
    }

    /// <summary>Yields the file's lines from the last to the first, with their offsets.</summary>
    private sealed class BackwardLineReader(Stream file)
    {
        private readonly byte[] _block = new byte[BlockSize];
        private byte[] _pending = []; // the not-yet-split front of what was read: _pending[.._length]
        private int _length;
        private long _position = file.Length;

        public bool TryRead(out LogLine line)
        {
            while (true)
            {
                // Each line ends with a newline: a line is whole once the newline before it is seen.
                int newline = _length < 2 ? -1 : _pending.AsSpan(0, _length - 1).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = Parse(_pending.AsSpan(newline + 1, _length - newline - 1), _position + newline + 1);
                    _length = newline + 1;
                    return true;
                }
                if (_position == 0)
                {
                    line = default;
                    if (_length == 0 || (_length == 1 && _pending[0] == '\n')) return false;
                    line = Parse(_pending.AsSpan(0, _length), 0);
                    _length = 0;
                    return true;
                }
                int size = (int)Math.Min(BlockSize, _position);
                _position -= size;
                file.Seek(_position, SeekOrigin.Begin);
                file.ReadExactly(_block, 0, size);
                _pending = [.. _block.AsSpan(0, size), .. _pending.AsSpan(0, _length)];
                _length = _pending.Length;
            }
        }

        /// <summary>The stream and the P/F tag: the second and third space-separated fields.</summary>
        private static LogLine Parse(ReadOnlySpan<byte> text, long offset)
        {
            int first = text.IndexOf((byte)' ');
            var rest = first < 0 ? default : text[(first + 1)..];
            bool stderr = rest.StartsWith("stderr "u8);
            bool full = rest.Length > 7 && rest[7] == (byte)'F';
            return new LogLine(offset, stderr, full);
        }
    }
}
