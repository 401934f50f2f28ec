using System.Globalization;
using System.Text;

namespace Conman;

/// <summary>
/// Text that came from an image or a container's definition as the views show it: an image's Cmd,
/// Entrypoint, Env or Labels are the image author's, and a control character in them would reach
/// the terminal raw (set its title, clear the screen, hide what follows). They are shown escaped,
/// as docker ps quotes commands: \n, \t, \e and \xHH (\uHHHH past U+00FF), and the bidirectional
/// overrides that reorder what is shown. The objects keep the real values; only the views escape.
/// Public, for the format file's script blocks.
/// </summary>
public static class DisplayText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape)) return text ?? "";
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (!NeedsEscape(c)) escaped.Append(c);
            else escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\x1b' => "\\e",
                _ when c <= '\xff' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return escaped.ToString();
    }

    /// <summary>Each word escaped (a command, an environment).</summary>
    public static string[] EscapeEach(IEnumerable<string>? words) => words?.Select(Escape).ToArray() ?? [];

    /// <summary>Keys and values escaped (labels).</summary>
    public static IReadOnlyDictionary<string, string> EscapeMap(IReadOnlyDictionary<string, string>? map) =>
        map?.ToDictionary(p => Escape(p.Key), p => Escape(p.Value)) ?? new Dictionary<string, string>();

    /// <summary>A command as one line, each word escaped.</summary>
    public static string CommandLine(IEnumerable<string>? words) => string.Join(' ', EscapeEach(words));

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
