namespace Conman.Terminal;

/// <summary>
/// Docker's detach-key syntax: comma-separated keys, each a single character or "ctrl-X" where X
/// is a letter or one of @ [ \ ] ^ _. Default "ctrl-p,ctrl-q"; an empty string disables detaching.
/// </summary>
internal static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <exception cref="FormatException">The text is not a valid key sequence.</exception>
    public static byte[] Parse(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var keys = new List<byte>();
        foreach (string key in text.Split(','))
        {
            if (key.Length == 1 && key[0] < 0x80)
            {
                keys.Add((byte)key[0]);
            }
            else if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase))
            {
                char c = char.ToLowerInvariant(key[5]);
                if (c is >= 'a' and <= 'z') keys.Add((byte)(c - 'a' + 1));
                else if ("@[\\]^_".IndexOf(c) is int i && i >= 0) keys.Add((byte)(i == 0 ? 0 : 27 + i - 1));
                else throw new FormatException($"'{key}' is not a valid detach key.");
            }
            else
            {
                throw new FormatException($"'{key}' is not a valid detach key: use a character or ctrl-<letter>, such as ctrl-p,ctrl-q.");
            }
        }
        return keys.ToArray();
    }
}
