using System.Text;

namespace Conman.Engine.Building;

/// <summary>One instruction: its keyword (upper case), its --flags, the rest of its text, and where it is.</summary>
internal sealed record Instruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments, int Line, string Text)
{
    public string Where => $"{Keyword} (line {Line})";
}

/// <summary>A FROM and what follows it up to the next FROM.</summary>
internal sealed record BuildStage(int Index, string Base, string? Alias, int Line, IReadOnlyList<Instruction> Instructions);

/// <summary>
/// A Containerfile (Dockerfile) read as Docker reads it: comments, line continuations with "\",
/// instructions case-insensitive, "--flag=value" options before the arguments, the ARGs before
/// the first FROM, and the stages.
/// </summary>
internal sealed record Containerfile(IReadOnlyList<Instruction> GlobalArgs, IReadOnlyList<BuildStage> Stages)
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER", "LABEL", "EXPOSE", "VOLUME", "CMD",
        "ENTRYPOINT", "SHELL", "STOPSIGNAL", "HEALTHCHECK", "MAINTAINER", "ONBUILD",
    };

    public static Containerfile Parse(string text, string path)
    {
        var globals = new List<Instruction>();
        var stages = new List<BuildStage>();
        List<Instruction>? current = null;
        (string Base, string? Alias, int Line)? from = null;

        void Close()
        {
            if (from is { } f) stages.Add(new BuildStage(stages.Count, f.Base, f.Alias, f.Line, current!));
        }

        foreach (var (line, content) in LogicalLines(text))
        {
            var instruction = Read(content, line, path);
            if (instruction.Keyword == "FROM")
            {
                Close();
                var words = InstructionArguments.Words(instruction.Arguments);
                if (words.Count == 1) from = (words[0], null, line);
                else if (words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)) from = (words[0], words[2].ToLowerInvariant(), line);
                else throw ConmanErrors.InvalidContainerfile(path, line, "FROM takes an image, and AS with a stage name");
                current = [];
                continue;
            }
            if (current is null)
            {
                if (instruction.Keyword != "ARG") throw ConmanErrors.InvalidContainerfile(path, line, $"{instruction.Keyword} before the first FROM (only ARG may come first)");
                globals.Add(instruction);
                continue;
            }
            current.Add(instruction);
        }
        Close();
        if (stages.Count == 0) throw ConmanErrors.InvalidContainerfile(path, 0, "it has no FROM");
        return new Containerfile(globals, stages);
    }

    private static Instruction Read(string content, int line, string path)
    {
        int space = content.IndexOfAny([' ', '\t']);
        string keyword = (space < 0 ? content : content[..space]).ToUpperInvariant();
        if (!Keywords.Contains(keyword)) throw ConmanErrors.InvalidContainerfile(path, line, $"'{keyword}' is not an instruction");
        string rest = space < 0 ? "" : content[(space + 1)..].TrimStart();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        // --chown=1:1, --from=build: options come first, each one word.
        while (rest.StartsWith("--", StringComparison.Ordinal) && keyword is not ("RUN" or "CMD" or "ENTRYPOINT" or "ENV" or "LABEL"))
        {
            int end = rest.IndexOfAny([' ', '\t']);
            string flag = end < 0 ? rest : rest[..end];
            int equals = flag.IndexOf('=');
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
            rest = end < 0 ? "" : rest[end..].TrimStart();
        }
        if (rest.Length == 0 && keyword is not "HEALTHCHECK") throw ConmanErrors.InvalidContainerfile(path, line, $"{keyword} needs arguments");
        return new Instruction(keyword, flags, rest.Trim(), line, content);
    }

    /// <summary>The instructions with their first line number: comments and blank lines dropped, continuations joined.</summary>
    private static IEnumerable<(int Line, string Content)> LogicalLines(string text)
    {
        var joined = new StringBuilder();
        int start = 0, number = 0;
        foreach (string raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            number++;
            string line = raw.TrimEnd();
            string trimmed = line.TrimStart();
            // A comment line inside a continuation is dropped too, as Docker does.
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && joined.Length == 0)) continue;
            if (joined.Length == 0) start = number;
            if (line.EndsWith('\\'))
            {
                joined.Append(line[..^1]).Append(' ');
                continue;
            }
            joined.Append(line);
            string content = joined.ToString().Trim();
            joined.Clear();
            if (content.Length > 0) yield return (start, content);
        }
        if (joined.Length > 0) yield return (start, joined.ToString().Trim());
    }
}
