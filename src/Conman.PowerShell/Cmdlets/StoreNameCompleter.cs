using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>
/// Tab completion from the names in the store under $env:CONMAN_ROOT: those that start with what
/// was typed, sorted. A store that cannot be read (not root, say) completes nothing.
/// </summary>
public abstract class StoreNameCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<string> Names();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        List<string> names;
        try
        {
            names = Names().ToList();
        }
        catch (Exception e) when (e is ConmanException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
