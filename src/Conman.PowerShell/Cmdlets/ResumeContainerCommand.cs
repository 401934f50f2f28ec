using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Thaws a container Suspend-Container froze (docker unpause).</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, "Resume container")) return;
        var resumed = Engine.Containers.Resume(idOrName);
        if (PassThru) WriteObject(new Container(resumed));
    }
}
