using System.Text;
using System.Text.RegularExpressions;

namespace Conman.Engine.Building;

/// <summary>
/// A build context's .dockerignore: patterns as Docker reads them (Go's filepath.Match with "**"
/// for any number of folders), relative to the context, "!" making exceptions; the last pattern
/// that matches a path decides, and a pattern that matches a folder takes everything below it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exception)> _rules = [];

    /// <param name="text">The context's .dockerignore, read inside the context (<see cref="BuildContext.ReadText"/>); null when it has none.</param>
    public static DockerIgnore Parse(string? text)
    {
        var ignore = new DockerIgnore();
        if (text is null) return ignore;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            bool exception = line.StartsWith('!');
            if (exception) line = line[1..].Trim();
            line = line.TrimStart('/');
            if (line.StartsWith("./", StringComparison.Ordinal)) line = line[2..];
            line = line.TrimEnd('/');
            if (line.Length == 0) continue;
            ignore._rules.Add((ToRegex(line), exception));
        }
        return ignore;
    }

    /// <param name="relative">The path in the context, with '/' separators, no leading '/'.</param>
    public bool Ignores(string relative)
    {
        bool ignored = false;
        foreach (var (pattern, exception) in _rules)
        {
            if (pattern.IsMatch(relative)) ignored = !exception;
        }
        return ignored;
    }

    /// <summary>"*" within a name, "?" one character, "**" any folders; the path or any folder above it matches.</summary>
    public static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    regex.Append("(?:.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*') regex.Append("[^/]*");
            else if (c == '?') regex.Append("[^/]");
            else if (c == '[')
            {
                int end = pattern.IndexOf(']', i + 1);
                if (end < 0) regex.Append(@"\[");
                else
                {
                    string set = pattern[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('^') || set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                }
            }
            else if (c == '\\' && i + 1 < pattern.Length) regex.Append(Regex.Escape(pattern[++i].ToString()));
            else regex.Append(Regex.Escape(c.ToString()));
        }
        regex.Append("(?:/.*)?$");
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }
}
