using System.Collections;
using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Lets -Environment take Docker's forms as well as a hashtable: 'NAME=value' strings, and a bare
/// 'NAME', which passes on the caller's own value of it (docker run -e NAME), or nothing when the
/// caller has none, as Docker leaves it out. The parameter gets the hashtable either way.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class EnvironmentArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null or IDictionary) return inputData;
        var items = value is IList list ? list.Cast<object?>() : [value];
        var environment = new Hashtable(StringComparer.Ordinal);
        try
        {
            var entries = items.Select(item => (item is PSObject p ? p.BaseObject : item)?.ToString() ?? "");
            foreach (var (name, variable) in EnvironmentLines.Parse(entries)) environment[name] = variable;
        }
        catch (FormatException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
        return environment;
    }
}

/// <summary>Docker's environment entries: 'NAME=value' as written, and 'NAME' alone for the caller's own value.</summary>
internal static class EnvironmentLines
{
    /// <summary>Each entry as a name and value; a bare name the caller has no value for is left out, as Docker leaves it.</summary>
    /// <exception cref="FormatException">An entry without a name ('=value').</exception>
    public static IEnumerable<(string Name, string Value)> Parse(IEnumerable<string> entries)
    {
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=');
            string name = equals < 0 ? entry : entry[..equals];
            if (name.Length == 0) throw new FormatException($"'{entry}' names no variable: write NAME=value, or NAME for this session's own value.");
            if (equals >= 0) yield return (name, entry[(equals + 1)..]);
            else if (System.Environment.GetEnvironmentVariable(name) is { } own) yield return (name, own);
        }
    }

    /// <summary>
    /// An environment file as docker --env-file reads it: a NAME=value or NAME entry a line, the
    /// value as written (no quotes taken off), blank lines and lines starting with # skipped.
    /// </summary>
    public static IEnumerable<string> OfFile(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#')).Select(line => line.TrimStart());
}
