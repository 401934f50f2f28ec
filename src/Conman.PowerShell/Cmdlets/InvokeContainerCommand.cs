using System.Management.Automation;
using System.Text;
using Conman.Attach;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Cmdlets;

/// <summary>
/// PowerShell's "docker run --rm -i": creates a container, starts it attached, feeds pipeline
/// input to its stdin (a line per object, EOF at the end), writes its stdout to the pipeline and
/// removes it afterwards unless -Keep. Ctrl+C kills and removes it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container")]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommand : ContainerDefinitionCmdlet, IDisposable
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Keep the container after it exits (docker run without --rm).</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    private ContainerSnapshot? _container;
    private AttachedOutput? _output;
    private bool _removed;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            var options = ToOptions(interactive: true);
            _container = Engine.Create(options);
            var (_, stream) = Engine.Start(_container.Id, new AttachRequest { Stdin = true, Stdout = true, Stderr = true });
            _output = new AttachedOutput(stream!);
        }
        catch (ConmanException e)
        {
            RemoveContainer(report: true);
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        if (_output is null || InputObject is null) return;
        string line = InputObject.BaseObject is string s ? s : LanguagePrimitives.ConvertTo<string>(InputObject);
        try
        {
            _output.Stream.WriteStdin(Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (IOException)
        {
            // The container stopped reading (it exited): what it printed still follows.
        }
        foreach (var output in _output.Available()) WriteOutputLine(output, _container!.Name);
    }

    protected override void EndProcessing()
    {
        if (_output is null || _container is null) return;
        try
        {
            _output.Stream.CloseStdin();
        }
        catch (IOException)
        {
        }
        foreach (var line in _output.UntilEnd(Stopping)) WriteOutputLine(line, _container.Name);
        if (Stopping.IsCancellationRequested) return;
        var final = Engine.Get(_container.Id);
        if ((_output.Exit?.ExitCode ?? final.ExitCode) is int exitCode) SetLastExitCode(exitCode);
        RemoveContainer(report: true);
    }

    private void RemoveContainer(bool report)
    {
        if (_container is null || _removed || Keep) return;
        _removed = true;
        try
        {
            Engine.Remove(_container.Id, force: true);
        }
        catch (ConmanException e) when (report)
        {
            WriteWarning($"Could not remove the container '{_container.Name}': {e.Message}");
        }
        catch (ConmanException)
        {
            // Called from Dispose, where the pipeline is gone; Get-Container still shows it.
        }
    }

    /// <summary>Runs however the pipeline ended, Ctrl+C included: no container is left behind.</summary>
    public void Dispose()
    {
        _output?.Dispose();
        RemoveContainer(report: false);
    }
}
