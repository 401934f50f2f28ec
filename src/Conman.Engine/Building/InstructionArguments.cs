using System.Text;
using System.Text.Json;

namespace Conman.Engine.Building;

/// <summary>
/// The argument forms of Containerfile instructions, as Docker reads them: the exec form (a JSON
/// array of strings) or the shell form; KEY=VALUE pairs with Docker's quoting; words.
/// </summary>
internal static class InstructionArguments
{
    /// <summary>A JSON array of strings, or null when <paramref name="text"/> is not one (then it is the shell form).</summary>
    public static IReadOnlyList<string>? ExecForm(string text)
    {
        string trimmed = text.Trim();
        if (!trimmed.StartsWith('[')) return null;
        try
        {
            using var document = JsonDocument.Parse(trimmed);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var words = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return null;
                words.Add(item.GetString()!);
            }
            return words;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The exec form as it is, or the shell form run by <paramref name="shell"/> ("/bin/sh -c" by default).</summary>
    public static IReadOnlyList<string> Command(string text, IReadOnlyList<string> shell) =>
        ExecForm(text) ?? [.. shell, text.Trim()];

    /// <summary>
    /// KEY=VALUE pairs, values quoted with "" or '' or backslashes as Docker allows; with
    /// <paramref name="legacy"/> (ENV, LABEL) a single "KEY VALUE" (the rest of the line) too.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> Pairs(string text, bool legacy, string what)
    {
        var words = Words(text);
        if (words.Count == 0) throw ConmanErrors.InvalidInstruction(what, "it needs KEY=VALUE");
        if (legacy && !words[0].Contains('='))
        {
            string rest = text.Trim()[words[0].Length..].Trim();
            if (rest.Length == 0) throw ConmanErrors.InvalidInstruction(what, $"'{words[0]}' has no value");
            return [(words[0], Unquote(rest))];
        }
        var pairs = new List<(string, string)>();
        foreach (string word in words)
        {
            int equals = word.IndexOf('=');
            if (equals <= 0) throw ConmanErrors.InvalidInstruction(what, $"'{word}' is not KEY=VALUE");
            pairs.Add((word[..equals], word[(equals + 1)..]));
        }
        return pairs;
    }

    /// <summary>Words split at unquoted white space, quotes removed, backslash escapes applied.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length) word.Append(text[++i]);
                else word.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c is '"' or '\'') quote = c;
            else if (c == '\\' && i + 1 < text.Length) word.Append(text[++i]);
            else word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static string Unquote(string text)
    {
        var words = Words(text);
        return words.Count == 1 && (text.StartsWith('"') || text.StartsWith('\'')) ? words[0] : text;
    }
}
