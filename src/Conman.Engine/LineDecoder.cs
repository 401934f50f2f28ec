using System.Text;

namespace Conman.Engine;

/// <summary>
/// Turns a stream's bytes into lines: split on '\n', each line decoded from UTF-8 in one pass
/// straight into its string. Splitting the bytes first is safe, since no byte of a multi-byte
/// UTF-8 character is '\n'; a line that spans chunks waits here as bytes, so a character split
/// between two chunks comes out whole.
/// </summary>
/// <param name="trimCarriageReturn">Drop a '\r' that ends a line, as PowerShell reads a native
/// command's output (an attached container's). In a log, whose lines the shim ends, a '\r' the
/// container wrote is part of its text and stays.</param>
public sealed class LineDecoder(bool trimCarriageReturn)
{
    private byte[] _partial = new byte[256];
    private int _partialLength;

    /// <summary>Adds to <paramref name="lines"/> each line that <paramref name="data"/> ends.</summary>
    public void Add(ReadOnlySpan<byte> data, List<string> lines)
    {
        int newline;
        while ((newline = data.IndexOf((byte)'\n')) >= 0)
        {
            if (_partialLength == 0)
            {
                lines.Add(Decode(data[..newline]));
            }
            else
            {
                Append(data[..newline]);
                lines.Add(TakePartial());
            }
            data = data[(newline + 1)..];
        }
        Append(data);
    }

    /// <summary>The unfinished last line, if the stream ended without a newline.</summary>
    public string? Finish() => _partialLength > 0 ? TakePartial() : null;

    private string TakePartial()
    {
        string line = Decode(_partial.AsSpan(0, _partialLength));
        _partialLength = 0;
        return line;
    }

    private string Decode(ReadOnlySpan<byte> line) =>
        Encoding.UTF8.GetString(trimCarriageReturn && line.EndsWith((byte)'\r') ? line[..^1] : line);

    private void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_partial.Length - _partialLength < data.Length)
        {
            Array.Resize(ref _partial, Math.Max(_partial.Length * 2, _partialLength + data.Length));
        }
        data.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength += data.Length;
    }
}
