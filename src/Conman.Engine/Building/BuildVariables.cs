using System.Text;

namespace Conman.Engine.Building;

/// <summary>
/// Docker's substitution in instructions: $NAME, ${NAME}, ${NAME:-default}, ${NAME:+alternative};
/// "\$" is a plain "$". Names come from the stage's ENV and ARG values; an unknown name is empty.
/// </summary>
internal static class BuildVariables
{
    public static string Expand(string text, IReadOnlyDictionary<string, string> values)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }
            if (c != '$' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }
            if (text[i + 1] == '{')
            {
                int end = text.IndexOf('}', i + 2);
                if (end < 0)
                {
                    result.Append(c);
                    continue;
                }
                string inner = text[(i + 2)..end];
                int modifier = inner.IndexOf(':');
                string name = modifier < 0 ? inner : inner[..modifier];
                string? value = values.GetValueOrDefault(name);
                if (modifier >= 0 && modifier + 1 < inner.Length)
                {
                    string word = inner[(modifier + 2)..];
                    value = inner[modifier + 1] switch
                    {
                        '-' => string.IsNullOrEmpty(value) ? word : value,
                        '+' => string.IsNullOrEmpty(value) ? "" : word,
                        _ => value,
                    };
                }
                result.Append(value);
                i = end;
                continue;
            }
            int start = i + 1, stop = start;
            while (stop < text.Length && (char.IsAsciiLetterOrDigit(text[stop]) || text[stop] == '_')) stop++;
            if (stop == start)
            {
                result.Append(c);
                continue;
            }
            result.Append(values.GetValueOrDefault(text[start..stop]));
            i = stop - 1;
        }
        return result.ToString();
    }
}
