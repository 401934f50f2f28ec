using System.Management.Automation;

namespace Conman.Cmdlets;

[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Name")]
[OutputType(typeof(ContainerImage))]
public sealed class RemoveContainerImageCommand : ContainerCmdlet
{
    /// <summary>A name ("alpine", "registry:5000/app:1") removes that name; an id removes the image.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [RefuseObjects(typeof(Container), "container image")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>Remove the image even when containers were made from it; they keep their layers.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var references = ParameterSetName == "Name" ? Name : InputObject.Select(i => i.Reference).ToArray();
        foreach (string reference in references)
        {
            if (!ShouldProcess(reference, "Remove container image")) continue;
            Try(() =>
            {
                var (image, _) = Engine.Images.Remove(reference, Force);
                if (PassThru) WriteObject(ContainerImage.From(image), enumerateCollection: true);
            });
        }
    }
}
