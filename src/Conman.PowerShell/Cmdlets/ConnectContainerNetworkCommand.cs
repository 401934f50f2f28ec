using System.Management.Automation;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>
/// Joins containers to a network (docker network connect): at once when they run, on their next
/// free interface, and at every start after.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class ConnectContainerNetworkCommand : ContainerNetworkChangeCmdlet
{
    /// <summary>More names for the container on this network (docker network connect --alias).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    protected override string Action => $"Connect to network {Network}";

    protected override ContainerSnapshot Change(string container) => Engine.Networks.Connect(container, Network, Alias);
}
