using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Pushes images to registries (docker push).</summary>
[Cmdlet(VerbsData.Publish, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(PublishedImage))]
public sealed class PublishContainerImageCommand : ContainerCmdlet
{
    /// <summary>The image: a name (its registry and repository are where it goes, unless -Destination), or an id with -Destination.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>Where it goes, "registry/repository:tag", when not the image's name.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>For registries that ask for a user name and password; else what Connect-ContainerRegistry (or podman login) stored.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Allow a registry that is not on loopback without a verified HTTPS certificate, or over plain HTTP.</summary>
    [Parameter]
    public SwitchParameter AllowInsecure { get; set; }

    protected override void ProcessRecord()
    {
        var references = ParameterSetName == "Name" ? Name : InputObject.Select(i => i.Reference).ToArray();
        foreach (string reference in references)
        {
            string target = Destination ?? reference;
            if (!ShouldProcess(target, $"Push container image {reference}")) continue;
            Try(() =>
            {
                var result = new ImageProgressPump(this, StopToken).Run($"Pushing {target}",
                    (progress, cancel) => Engine.Images.Push(reference, Destination, Credential?.GetNetworkCredential(), AllowInsecure, progress, cancel));
                WriteObject(new PublishedImage(result));
            });
        }
    }
}
