using System.Management.Automation;
using Conman.Engine.Runtime;

namespace Conman.Cmdlets;

/// <summary>
/// What the store holds and what runs it, as docker system df and docker info say it: the store's
/// root, runc's version, the cgroup version and kernel, and the count and disk size of containers,
/// images and volumes.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerSystem")]
[OutputType(typeof(StoreUsage))]
public sealed class GetContainerSystemCommand : ContainerCmdlet
{
    protected override void EndProcessing() => Try(() => WriteObject(Engine.Usage()));
}
