using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Takes containers off a network (docker network disconnect): at once when they run, and for their next starts.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class DisconnectContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, $"Disconnect from network {Network}")) continue;
            Try(() =>
            {
                var container = Engine.Disconnect(name, Network);
                if (PassThru) WriteObject(new Container(container));
            });
        }
    }
}
