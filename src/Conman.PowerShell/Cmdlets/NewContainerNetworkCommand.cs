using System.Collections;
using System.Management.Automation;
using Conman.Engine.Networks;

namespace Conman.Cmdlets;

/// <summary>Makes a bridge network whose containers find each other by name (docker network create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>IPv4 CIDR; by default the first free /24 of 10.90.0.0/16.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    /// <summary>The bridge's address; by default the subnet's first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    /// <summary>No route out and no NAT (docker network create --internal).</summary>
    [Parameter]
    public SwitchParameter Internal { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Removed once this PowerShell session has ended, however it ends (Testcontainers' reaper).</summary>
    [Parameter]
    public SwitchParameter RemoveWithSession { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create network")) return;
        var labels = Label?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
        Try(() => WriteObject(new ContainerNetwork(Engine.Networks.Create(new NetworkOptions(Name, Subnet, Gateway, Internal, labels, RemoveWithSession)))));
    }
}
