using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Joins containers to a network (docker network connect): at once when they run, on their next
/// free interface, and at every start after.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class ConnectContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    /// <summary>The containers, by name or id; Container objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>More names for the container on this network (docker network connect --alias).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, $"Connect to network {Network}")) continue;
            Try(() =>
            {
                var container = Engine.Connect(name, Network, Alias);
                if (PassThru) WriteObject(new Container(container));
            });
        }
    }
}
