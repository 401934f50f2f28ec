using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Lists the processes of running containers (docker top), from their cgroups and /proc.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerProcess))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void ProcessContainer(string idOrName)
    {
        var container = Engine.Containers.Get(idOrName);
        foreach (var process in Engine.Containers.Processes(container.Id)) WriteObject(new ContainerProcess(container.Name, process));
    }
}
