using System.Management.Automation;
using Conman.Engine.Containers;
using Conman.Errors;

namespace Conman.Cmdlets;

/// <summary>Waits for containers' runs to end (a Created one to be started and end, as docker wait) and returns them with their ExitCode (Restarting when their policy runs them again).</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds; without it, waits for as long as it takes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        var container = Engine.Containers.Wait(idOrName, Timeout is int t ? TimeSpan.FromSeconds(t) : null, StopToken);
        if (StopToken.IsCancellationRequested) return;
        // Restarting: its run ended and its restart policy runs it again, which ends the wait (docker wait).
        if ((container.State == ContainerState.Running && !container.Restarting) || container.State == ContainerState.Created)
        {
            throw CmdletErrors.WaitTimeout(container.Name, Timeout);
        }
        WriteObject(new Container(container));
    }
}
