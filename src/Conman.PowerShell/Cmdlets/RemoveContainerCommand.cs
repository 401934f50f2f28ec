using System.Management.Automation;
using Conman.Engine;

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
        if (!ShouldProcess(ShownName, "Remove container")) return;
        try
        {
            Engine.Containers.Remove(idOrName, Force, Volumes);
        }
        catch (ConmanException e) when (e.ErrorId == ErrorIds.ContainerNotFound && Force && ParameterSetName == InputObjectSet)
        {
            // A container object that is gone was removed by its shim (-AutoRemove, its session's
            // end) since it was listed: what -Force asked for is done, and a suite's cleanup goes
            // on. A name that matches nothing is still an error, as Remove-Item's missing path is.
        }
    }
}
