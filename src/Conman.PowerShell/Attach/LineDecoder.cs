using System.Text;

namespace Conman.Attach;

/// <summary>
/// Turns a stream's bytes into lines, as PowerShell reads a native command's output: UTF-8
/// decoded across chunk boundaries, split on '\n', a trailing '\r' dropped.
/// </summary>
public sealed class LineDecoder
{
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];

    public List<string> Add(ReadOnlySpan<byte> data)
    {
        int needed = _decoder.GetCharCount(data, flush: false);
        if (_chars.Length < needed) _chars = new char[needed];
        int count = _decoder.GetChars(data, _chars, flush: false);
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            if (_chars[i] != '\n') continue;
            if (_line.Length == 0)
            {
                // A whole line in this chunk (the usual case): one copy, straight into the string.
                int length = i - start;
                if (length > 0 && _chars[i - 1] == '\r') length--;
                lines.Add(new string(_chars, start, length));
            }
            else
            {
                _line.Append(_chars, start, i - start);
                lines.Add(TakeLine());
            }
            start = i + 1;
        }
        _line.Append(_chars, start, count - start);
        return lines;
    }

    /// <summary>The unfinished last line, if the stream ended without a newline.</summary>
    public string? Finish() => _line.Length > 0 ? TakeLine() : null;

    private string TakeLine()
    {
        if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
        string line = _line.ToString();
        _line.Clear();
        return line;
    }
}
