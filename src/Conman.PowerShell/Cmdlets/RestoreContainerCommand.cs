using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Brings back, after a reboot (or when every shim died), the containers whose restart policy says
/// so, as Docker's daemon does at its start: run at boot by the systemd unit in docs/boot.md.
/// </summary>
[Cmdlet(VerbsData.Restore, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class RestoreContainerCommand : ContainerCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var container in Engine.Containers.ToRestore())
        {
            if (StopToken.IsCancellationRequested) return;
            if (!ShouldProcess(container.Name, $"Start container (restart policy {container.Config.Lifetime.RestartPolicy})")) continue;
            Try(() =>
            {
                if (Engine.Containers.Restore(container.Id) is { } started) WriteObject(new Container(started));
            });
        }
    }
}
