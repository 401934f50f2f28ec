using System.Management.Automation;
using System.Management.Automation.Language;

namespace Conman.Cmdlets;

/// <summary>
/// Keeps a misspelled or missing parameter from becoming a container's command. The remaining
/// arguments (docker run's "IMAGE [COMMAND] [ARG...]") take every word PowerShell could not bind,
/// so <c>New-Container busybox -Nmae web sleep 10</c> would run "-Nmae web sleep 10". The command
/// may start only with a word that was not written as a parameter, or after <c>--</c>. The binder
/// hands over "-Nmae" as a plain string either way, so the statement as written tells them apart:
/// there, a parameter is a parameter token, and a word after <c>--</c> is not.
/// </summary>
internal static class CommandStart
{
    /// <returns>
    /// The name of the parameter (without its dash) that the command starts with, written as one
    /// and matching none of the cmdlet's parameters; null when the command starts with a word, or
    /// when the statement is not known (a call from C#, a splatted argument).
    /// </returns>
    public static string? UnknownParameter(InvocationInfo invocation, string[]? command)
    {
        if (command is not [var first, ..] || !first.StartsWith('-') || CallOf(invocation) is not { } call) return null;
        var known = invocation.MyCommand.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
        string written = first.TrimStart('-').TrimEnd(':');
        foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
        {
            // "--": what follows is plain words, whatever they look like.
            if (parameter.Extent.Text == "--") return null;
            bool bound = known.Any(name => name.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase));
            if (!bound && parameter.ParameterName.Equals(written, StringComparison.OrdinalIgnoreCase)) return parameter.ParameterName;
        }
        return null;
    }

    /// <summary>Whether the statement names the parameter (or a prefix of it that only it has); false when the statement is not known.</summary>
    public static bool Names(InvocationInfo invocation, string parameterName)
    {
        if (CallOf(invocation) is not { } call) return false;
        var others = invocation.MyCommand.Parameters.Keys.Where(name => !name.Equals(parameterName, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
        {
            if (parameter.Extent.Text == "--") return false;
            string written = parameter.ParameterName;
            if (parameterName.StartsWith(written, StringComparison.OrdinalIgnoreCase)
                && (written.Length == parameterName.Length || !others.Any(o => o.StartsWith(written, StringComparison.OrdinalIgnoreCase)))) return true;
        }
        return false;
    }

    /// <summary>The command as the statement wrote it; null when the statement is not known.</summary>
    private static CommandAst? CallOf(InvocationInfo invocation) =>
        string.IsNullOrEmpty(invocation.Statement) ? null
            : Parser.ParseInput(invocation.Statement, out _, out _).Find(a => a is CommandAst, searchNestedScriptBlocks: false) as CommandAst;
}
