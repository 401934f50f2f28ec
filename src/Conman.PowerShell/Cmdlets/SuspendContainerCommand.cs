using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Freezes every process of a running container (docker pause); Resume-Container thaws them.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, "Suspend container")) return;
        var paused = Engine.Containers.Pause(idOrName);
        if (PassThru) WriteObject(new Container(paused));
    }
}
