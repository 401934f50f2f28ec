using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Pulls images from registries (docker pull).</summary>
[Cmdlet(VerbsLifecycle.Request, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class RequestContainerImageCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [RefuseObjects("container image", typeof(Container), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    /// <summary>For registries that ask for a user name and password (Basic, or Bearer tokens given for them).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Allow a registry that is not on loopback without a verified HTTPS certificate, or over plain HTTP.</summary>
    [Parameter]
    public SwitchParameter AllowInsecure { get; set; }

    /// <summary>The platform an image index resolves to, os/architecture[/variant] (docker pull --platform); this machine's, linux/amd64, by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string reference in Reference)
        {
            if (!ShouldProcess(reference, "Pull container image")) continue;
            Try(() =>
            {
                var image = new ImageProgressPump(this, StopToken).Run($"Pulling {reference}",
                    (progress, cancel) => Engine.Images.Pull(reference, Credential?.GetNetworkCredential(), AllowInsecure, progress, cancel, Platform));
                WriteObject(ContainerImage.From(image), enumerateCollection: true);
            });
        }
    }
}
