using System.Management.Automation;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>Takes containers off a network (docker network disconnect): at once when they run, and for their next starts.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class DisconnectContainerNetworkCommand : ContainerNetworkChangeCmdlet
{
    protected override string Action => $"Disconnect from network {Network}";

    protected override ContainerSnapshot Change(string container) => Engine.Networks.Disconnect(container, Network);
}
