using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Changes a container's limits (docker update): at once for a running one, and for every later run.</summary>
[Cmdlet(VerbsData.Update, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class UpdateContainerCommand : ContainerTargetCmdlet, IDynamicParameters
{
    private readonly LimitParameters _limits = new();

    /// <summary>-Memory, -Cpus and the other limits, as New-Container has them.</summary>
    public object GetDynamicParameters() => _limits;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        if (!ShouldProcess(ShownName, "Update container limits")) return;
        var updated = Engine.Containers.Update(idOrName, _limits.ToLimits());
        if (PassThru) WriteObject(new Container(updated));
    }
}
