using System.Globalization;

namespace Conman.Engine.Resources;

/// <summary>
/// Sizes as Docker's flags take them ("64m", "1g", "512k", "100b", "1024"): binary multiples, the
/// unit's letter in either case, with or without a trailing "b" ("64mb"). PowerShell's own size
/// literals (64MB) arrive as numbers and need none of this.
/// </summary>
public static class ByteSize
{
    /// <exception cref="ConmanException">InvalidSize: not a size, or one too large for 64 bits.</exception>
    public static long Parse(string text, string what)
    {
        string s = text.Trim().ToLowerInvariant();
        if (s.EndsWith('b') && s.Length > 1 && !char.IsDigit(s[^2])) s = s[..^1];
        int shift = s.Length == 0 ? -1 : s[^1] switch { 'k' => 10, 'm' => 20, 'g' => 30, 't' => 40, 'p' => 50, 'b' => 0, _ => -1 };
        if (shift >= 0) s = s[..^1];
        else shift = 0;
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
        {
            throw ConmanErrors.InvalidSize(text, what);
        }
        decimal bytes = number * (1L << shift);
        if (bytes > long.MaxValue) throw ConmanErrors.InvalidSize(text, what);
        return (long)bytes;
    }
}
