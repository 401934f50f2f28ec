using System.Management.Automation;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>
/// What Connect- and Disconnect-ContainerNetwork share: the network, the containers, -PassThru, and
/// one change per container. A piped network, image or volume is refused, not taken by its Name.
/// </summary>
public abstract class ContainerNetworkChangeCmdlet : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    /// <summary>The containers, by name or id; Container objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [RefuseObjects("container", typeof(ContainerImage), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What -WhatIf says is done to each container.</summary>
    protected abstract string Action { get; }

    /// <summary>Makes the change to one container and returns it as it is after.</summary>
    protected abstract ContainerSnapshot Change(string container);

    protected override void ProcessRecord()
    {
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, Action)) continue;
            Try(() =>
            {
                var container = Change(name);
                if (PassThru) WriteObject(new Container(container));
            });
        }
    }
}
