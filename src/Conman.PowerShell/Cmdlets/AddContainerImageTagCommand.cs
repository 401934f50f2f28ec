using System.Management.Automation;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>
/// Gives an image another name (docker tag). "Add" rather than "Rename": the image keeps the
/// names it had, as with docker tag; a name another image had moves to this one.
/// </summary>
[Cmdlet(VerbsCommon.Add, "ContainerImageTag", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(ContainerImage))]
public sealed class AddContainerImageTagCommand : ContainerCmdlet
{
    /// <summary>The image: a name, a digest reference or an id.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public ContainerImage? InputObject { get; set; }

    /// <summary>The new names: "[registry/]repository[:tag]".</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string reference = InputObject?.Id ?? Name;
        ImageSnapshot? tagged = null;
        foreach (string tag in Tag)
        {
            if (!ShouldProcess(reference, $"Tag container image as {tag}")) continue;
            Try(() => tagged = Engine.Images.Tag(reference, tag));
        }
        if (PassThru && tagged is not null) WriteObject(ContainerImage.From(tagged), enumerateCollection: true);
    }
}
