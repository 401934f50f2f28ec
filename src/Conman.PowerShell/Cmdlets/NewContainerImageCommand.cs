using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Makes an image of a container (docker commit).</summary>
[Cmdlet(VerbsCommon.New, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class NewContainerImageCommand : ContainerCmdlet
{
    /// <summary>The container: a name, an id or a unique id prefix.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>The image's name, [registry/]repository[:tag]; without one the image is known by its id.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    /// <summary>Containerfile instructions applied to the config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Change { get; set; } = [];

    /// <summary>The history comment of the new layer (docker commit -m).</summary>
    [Parameter]
    public string? Message { get; set; }

    [Parameter]
    public string? Author { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Container, $"Commit to image {Tag ?? "(no name)"}")) return;
        Try(() =>
        {
            var image = new ImageProgressPump(this, StopToken).Run($"Committing {Container}",
                (progress, cancel) => Engine.Builds.Commit(Container, Tag, Change, Message, Author, progress, cancel));
            WriteObject(ContainerImage.From(image), enumerateCollection: true);
        });
    }
}
