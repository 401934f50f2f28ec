using System.Management.Automation;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>Writes images to an archive or an OCI layout folder (docker save, podman save).</summary>
[Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(ContainerImage))]
public sealed class ExportContainerImageCommand : ContainerCmdlet
{
    private readonly List<string> _references = [];

    /// <summary>The images: names, digest references or ids. A name goes out as that name; an id with all the image's names.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>The archive file (replaced if it exists), or the folder of an OCI layout (new or empty).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>DockerArchive (the default, as docker save and podman save), OciArchive or OciLayout.</summary>
    [Parameter]
    public ImageArchiveFormat Format { get; set; } = ImageArchiveFormat.DockerArchive;

    /// <summary>Refuse to replace an existing archive file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Images from the pipeline are gathered: several go into one archive, as docker save writes them.</summary>
    protected override void ProcessRecord() =>
        _references.AddRange(ParameterSetName == "Name" ? Name : InputObject.Select(i => i.Reference));

    protected override void EndProcessing()
    {
        if (_references.Count == 0) return;
        string resolved = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(resolved, $"Export container image(s) {string.Join(", ", _references)} as {Format}")) return;
        Try(() =>
        {
            var images = new ImageProgressPump(this, StopToken).Run($"Exporting to {resolved}",
                (progress, cancel) => Engine.Images.Export(_references, resolved, Format, NoClobber, progress, cancel));
            if (PassThru) foreach (var image in images) WriteObject(ContainerImage.From(image), enumerateCollection: true);
        });
    }
}
