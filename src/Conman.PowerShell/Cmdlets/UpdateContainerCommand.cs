using System.Management.Automation;
using Conman.Engine.Resources;

namespace Conman.Cmdlets;

/// <summary>Changes a container's limits (docker update): at once for a running one, and for every later run.</summary>
[Cmdlet(VerbsData.Update, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class UpdateContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ByteSizeTransformation]
    public long? Memory { get; set; }

    [Parameter]
    [ByteSizeTransformation]
    public long? MemorySwap { get; set; }

    [Parameter]
    public double? Cpus { get; set; }

    [Parameter]
    public long? CpuShares { get; set; }

    [Parameter]
    public string? CpusetCpus { get; set; }

    [Parameter]
    public long? PidsLimit { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(idOrName, "Update container limits")) return;
        var update = new ResourceOptions
        {
            Memory = Memory, MemorySwap = MemorySwap, Cpus = Cpus, CpuShares = CpuShares, CpusetCpus = CpusetCpus, PidsLimit = PidsLimit,
        };
        var updated = Engine.Update(idOrName, update);
        if (PassThru) WriteObject(new Container(updated));
    }
}
