using System.Management.Automation;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>Sends a signal to a running container's main process, as docker kill -s does.</summary>
[Cmdlet(VerbsCommunications.Send, "ContainerSignal", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class SendContainerSignalCommand : ContainerTargetCmdlet
{
    /// <summary>A name (TERM, SIGHUP) or a number; default KILL, as docker kill.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SignalCompleter))]
    [ValidateNotNullOrEmpty]
    public string Signal { get; set; } = "KILL";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private int _signal;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _signal = Signals.Parse(Signal);
        }
        catch (Engine.ConmanException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, $"Send signal {Signal}")) return;
        var container = Engine.Containers.Kill(idOrName, _signal);
        if (PassThru) WriteObject(new Container(container));
    }
}

public sealed class SignalCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        Signals.Names.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n));
}
