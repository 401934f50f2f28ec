using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>
/// The published ports of running containers (docker port), or where one container port is
/// published (Testcontainers' GetMappedPublicPort): each with the endpoint and URL a client on the
/// host uses.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerPort", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerPort))]
public sealed class GetContainerPortCommand : ContainerTargetCmdlet
{
    /// <summary>Only this port of the container (docker port web 80); an error when it is not published.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>With -Port: tcp (default) or udp.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp")]
    public string Protocol { get; set; } = "tcp";

    protected override void ProcessContainer(string idOrName)
    {
        var container = Engine.Containers.Get(idOrName);
        // Only a running container has host ports: a start chooses those left to it.
        if (container.State != ContainerState.Running) throw Errors.CmdletErrors.NoPortsWhileNotRunning(container.Name, container.State);
        var ports = container.Network.Ports.Where(p => Port is not int port || (p.ContainerPort == port && p.Protocol == Protocol)).ToList();
        if (Port is int asked && ports.Count == 0) throw Errors.CmdletErrors.PortNotPublished(container.Name, asked, Protocol);
        foreach (var port in ports) WriteObject(new ContainerPort(container.Name, port));
    }
}
