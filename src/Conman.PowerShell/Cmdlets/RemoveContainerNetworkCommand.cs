using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Removes networks: their bridge, address allocations and record (docker network rm). Refused
/// while containers are on it; -Force removes those containers first, as podman network rm -f.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [RefuseObjects("network", typeof(Container), typeof(ContainerImage), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Remove the containers on the network too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, Force ? "Remove network and the containers on it" : "Remove network")) continue;
            Try(() => Engine.Networks.Remove(name, Force));
        }
    }
}
