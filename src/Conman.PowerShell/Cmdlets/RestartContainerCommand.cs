using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>Stops (as Stop-Container) and starts again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class RestartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = (int)ContainerService.DefaultStopTimeout.TotalSeconds;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, "Restart container")) return;
        ContainerSnapshot restarted;
        try
        {
            restarted = Engine.Containers.Restart(idOrName, TimeSpan.FromSeconds(Timeout), StopToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while it stopped: the shim finishes the stop, and nothing starts.
            return;
        }
        if (PassThru) WriteObject(new Container(restarted));
    }
}
