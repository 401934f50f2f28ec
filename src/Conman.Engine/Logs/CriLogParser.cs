using System.Globalization;
using System.Text;

namespace Conman.Engine.Logs;

/// <summary>
/// Parses the Kubernetes CRI log format the shim writes:
/// <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;text&gt;</c>. Partial (P) entries are
/// joined with what follows on the same stream until a full (F) one ends the line.
/// </summary>
internal sealed class CriLogParser
{
    private readonly StringBuilder?[] _partial = new StringBuilder?[2];

    /// <summary>Feeds one log line; returns an entry when it completes one, else null.</summary>
    public LogEntry? Parse(string line)
    {
        string[] fields = line.Split(' ', 4);
        if (fields.Length < 3) return null;
        if (!TryParseTimestamp(fields[0], out var timestamp)) return null;
        LogStream stream = fields[1] == "stderr" ? LogStream.Stderr : LogStream.Stdout;
        string text = fields.Length > 3 ? fields[3] : "";
        ref StringBuilder? partial = ref _partial[(int)stream];
        if (fields[2] == "P")
        {
            (partial ??= new StringBuilder()).Append(text);
            return null;
        }
        if (partial is not null)
        {
            text = partial.Append(text).ToString();
            partial = null;
        }
        return new LogEntry(timestamp, stream, text);
    }

    /// <summary>
    /// RFC 3339 with up to nine fractional digits. .NET keeps seven and would round the rest, which
    /// could move an entry past a -Since boundary: the extra digits are cut instead.
    /// </summary>
    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
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
            if (_partial[i] is { } partial) yield return new LogEntry(timestamp, (LogStream)i, partial.ToString());
            _partial[i] = null;
        }
    }
}
