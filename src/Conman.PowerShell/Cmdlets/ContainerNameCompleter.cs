using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the names of the containers under $env:CONMAN_ROOT.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        try
        {
            names = ContainerEngine.FromEnvironment().Store.LoadAll().Select(r => r.Name);
        }
        catch (ConmanException)
        {
            return [];
        }
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
