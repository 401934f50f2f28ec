using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>What a container changed in its root filesystem (docker diff).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerChange")]
[OutputType(typeof(ContainerChange))]
public sealed class GetContainerChangeCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    protected override void ProcessRecord() =>
        Try(() => WriteObject(Engine.Files.Changes(Name).Select(c => new ContainerChange(c)), enumerateCollection: true));
}
