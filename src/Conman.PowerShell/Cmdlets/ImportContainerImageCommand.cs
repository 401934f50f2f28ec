using System.Management.Automation;

namespace Conman.Cmdlets;

[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerCmdlet
{
    /// <summary>An OCI image layout folder, an OCI archive, or a docker save archive.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string resolved = GetUnresolvedProviderPathFromPSPath(path);
            if (!ShouldProcess(resolved, "Import container image")) continue;
            Try(() =>
            {
                var images = new ImageProgressPump(this, StopToken).Run($"Importing {path}", (progress, cancel) => Engine.Images.Import(resolved, Name, progress, cancel));
                foreach (var image in images) WriteObject(ContainerImage.From(image), enumerateCollection: true);
            });
        }
    }
}
