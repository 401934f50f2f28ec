using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the names of the images under $env:CONMAN_ROOT, as Docker shows them.</summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        try
        {
            names = new ImageStore(StoreLayout.FromEnvironment()).LoadAll().SelectMany(i => i.Names).Select(ImageReference.Familiar);
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
