using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Shim;

namespace Conman.Cmdlets;

/// <summary>
/// Starts containers. With -Attach it connects before the process runs, streams stdout to the
/// pipeline and stderr to the error stream, and returns when the container exits, setting
/// $LASTEXITCODE. Ctrl+C detaches; the container keeps running.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container), typeof(string))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Attach { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, Attach ? "Start container attached" : "Start container")) return;
        if (!Attach)
        {
            var (started, _) = Engine.Containers.Start(idOrName);
            if (PassThru) WriteObject(new Container(started));
            return;
        }
        ContainerSnapshot container;
        AttachStream? stream;
        try
        {
            (container, stream) = Engine.Containers.Start(idOrName, new AttachOptions());
        }
        catch (ConmanException e)
        {
            SetExitCodeOfStartFailure(e);
            throw;
        }
        using var output = new AttachedOutput(stream!);
        foreach (var line in output.UntilEnd(StopToken)) WriteOutputLine(line, container.Name);
        if (StopToken.IsCancellationRequested) return;
        var final = ReportAttachEnd(output.Exit, container.Id, container.Name);
        if (PassThru && final is not null) WriteObject(new Container(final));
    }
}
