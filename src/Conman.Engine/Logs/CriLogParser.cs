using System.Buffers;
using System.Globalization;
using System.Text;

namespace Conman.Engine.Logs;

/// <summary>
/// Parses the Kubernetes CRI log format the shim writes:
/// <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;text&gt;</c>. Partial (P) entries are
/// joined with what follows on the same stream until a full (F) one ends the line. They are joined
/// as bytes and decoded once whole: the shim cuts a P entry wherever a read of the container's
/// output ended, which may be inside a UTF-8 character (4 KiB block-buffered output does it).
/// </summary>
internal sealed class CriLogParser
{
    private readonly ArrayBufferWriter<byte>?[] _partial = new ArrayBufferWriter<byte>?[2];

    /// <summary>Feeds one log line, without its newline; returns an entry when it completes one, else null.</summary>
    public LogEntry? Parse(ReadOnlySpan<byte> line)
    {
        if (!TryTakeField(ref line, out var timestampField) || !TryParseTimestamp(timestampField, out var timestamp)) return null;
        if (!TryTakeField(ref line, out var streamField)) return null;
        LogStream stream = streamField.SequenceEqual("stderr"u8) ? LogStream.Stderr : LogStream.Stdout;
        // The tag ends the line when the text is empty and the separator was left out.
        int tagEnd = line.IndexOf((byte)' ');
        var tag = tagEnd < 0 ? line : line[..tagEnd];
        if (tag.IsEmpty) return null;
        var text = tagEnd < 0 ? ReadOnlySpan<byte>.Empty : line[(tagEnd + 1)..];

        ref ArrayBufferWriter<byte>? partial = ref _partial[(int)stream];
        if (tag.SequenceEqual("P"u8))
        {
            (partial ??= new ArrayBufferWriter<byte>()).Write(text);
            return null;
        }
        if (partial is null) return new LogEntry(timestamp, stream, Encoding.UTF8.GetString(text));
        partial.Write(text);
        var whole = new LogEntry(timestamp, stream, Encoding.UTF8.GetString(partial.WrittenSpan));
        partial = null;
        return whole;
    }

    private static bool TryTakeField(ref ReadOnlySpan<byte> line, out ReadOnlySpan<byte> field)
    {
        int space = line.IndexOf((byte)' ');
        if (space < 0)
        {
            field = default;
            return false;
        }
        field = line[..space];
        line = line[(space + 1)..];
        return true;
    }

    /// <summary>
    /// RFC 3339 with up to nine fractional digits. .NET keeps seven and would round the rest, which
    /// could move an entry past a -Since boundary: the extra digits are cut instead.
    /// </summary>
    private static bool TryParseTimestamp(ReadOnlySpan<byte> field, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (field.Length > 64 || !Ascii.IsValid(field)) return false;
        string text = Encoding.ASCII.GetString(field);
        int dot = text.IndexOf('.');
        if (dot >= 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp);
    }

    /// <summary>Output that ended without a newline (the container exited mid-line).</summary>
    public IEnumerable<LogEntry> Flush(DateTimeOffset timestamp)
    {
        for (int i = 0; i < _partial.Length; i++)
        {
            if (_partial[i] is { } partial) yield return new LogEntry(timestamp, (LogStream)i, Encoding.UTF8.GetString(partial.WrittenSpan));
            _partial[i] = null;
        }
    }
}
