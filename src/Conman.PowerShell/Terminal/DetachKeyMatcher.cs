namespace Conman.Terminal;

/// <summary>
/// Watches typed bytes for the detach sequence. Bytes that could still be the start of it are
/// held back; as soon as they cannot, they are sent on, so a lone ctrl-p still reaches the
/// container (podman swallowed it for years).
/// </summary>
internal sealed class DetachKeyMatcher(byte[] sequence)
{
    private readonly List<byte> _held = new();

    /// <summary>Feeds typed bytes; returns those to forward. After a detach, the rest is dropped.</summary>
    public byte[] Feed(ReadOnlySpan<byte> input, out bool detach)
    {
        detach = false;
        if (sequence.Length == 0) return input.ToArray();
        var forward = new List<byte>(input.Length);
        foreach (byte b in input)
        {
            _held.Add(b);
            while (_held.Count > 0 && !IsPrefix(_held))
            {
                // The held bytes cannot start the sequence: the oldest goes on, the rest is retried.
                forward.Add(_held[0]);
                _held.RemoveAt(0);
            }
            if (_held.Count == sequence.Length)
            {
                _held.Clear();
                detach = true;
                return forward.ToArray();
            }
        }
        return forward.ToArray();
    }

    private bool IsPrefix(List<byte> held)
    {
        for (int i = 0; i < held.Count; i++)
        {
            if (held[i] != sequence[i]) return false;
        }
        return true;
    }
}
