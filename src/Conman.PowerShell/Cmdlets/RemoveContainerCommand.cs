using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Removes containers with their logs and writable layers; a running one needs -Force.</summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Remove its anonymous volumes too (docker rm -v); named volumes are kept.</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(idOrName, "Remove container")) return;
        Engine.Containers.Remove(idOrName, Force, Volumes);
    }
}
