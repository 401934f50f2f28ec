namespace Conman.Host.Supervision;

/// <summary>
/// The end of what a health check printed, at most 4 KiB, kept with its result in health.pb. Docker
/// keeps as much, but the first 4 KiB (and adds "..."); the end is where a failing check says why.
/// The buffer is made at the first byte, so a check that prints nothing (<c>true</c>) costs none.
/// </summary>
internal sealed class ProbeOutputTail
{
    public const int Limit = 4096;

    private byte[]? _tail;
    private int _length;

    public void Append(ReadOnlySpan<byte> output)
    {
        if (output.IsEmpty) return;
        _tail ??= new byte[Limit];
        if (output.Length >= Limit)
        {
            output[^Limit..].CopyTo(_tail);
            _length = Limit;
            return;
        }
        // Moves what stays to the front (CopyTo handles the overlap), then adds the new bytes after it.
        int keep = Math.Min(_length, Limit - output.Length);
        _tail.AsSpan(_length - keep, keep).CopyTo(_tail);
        output.CopyTo(_tail.AsSpan(keep));
        _length = keep + output.Length;
    }

    /// <summary>As UTF-8: a character cut at the start of the tail reads as U+FFFD.</summary>
    public override string ToString() => _tail is null ? "" : System.Text.Encoding.UTF8.GetString(_tail, 0, _length);
}
