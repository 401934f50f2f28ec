using System.Collections;
using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Makes an empty named volume (docker volume create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerVolume", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerVolume))]
public sealed class NewContainerVolumeCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>Removed once this PowerShell session has ended, however it ends (Testcontainers' reaper).</summary>
    [Parameter]
    public SwitchParameter RemoveWithSession { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create volume")) return;
        var labels = Label?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
        Try(() => WriteObject(new ContainerVolume(Engine.Volumes.Create(Name, labels, RemoveWithSession))));
    }
}
