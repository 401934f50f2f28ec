using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>SIGTERM, then SIGKILL after -Timeout seconds (default 10); -Force sends SIGKILL at once.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    private const int SigKill = 9;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = (int)ContainerService.DefaultStopTimeout.TotalSeconds;

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, "Stop container")) return;
        WriteVerbose(Force || Timeout == 0 ? $"Asking the shim of '{idOrName}' for SIGKILL" : $"Asking the shim of '{idOrName}' for SIGTERM, then SIGKILL after {Timeout} s");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = Engine.Containers.Stop(idOrName, Force ? TimeSpan.Zero : TimeSpan.FromSeconds(Timeout), StopToken);
        WriteVerbose($"'{stopped.Name}' is {stopped.State} after {clock.ElapsedMilliseconds} ms");
        // The grace period ran out, and SIGKILL ended it (not another session's kill meanwhile).
        if (!Force && Timeout > 0 && clock.Elapsed >= TimeSpan.FromSeconds(Timeout) && stopped is { StopRequested: true, Signal: SigKill })
        {
            // As podman warns: the process did not end on SIGTERM, so whatever it does on exit did not happen.
            WriteWarning($"The container '{stopped.Name}' did not stop within {Timeout} s of SIGTERM; it was killed with SIGKILL.");
        }
        if (PassThru) WriteObject(new Container(stopped));
    }
}
