using System.Collections;
using System.Management.Automation;
using Conman.Engine.Containers;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>The parameters that describe a new container, shared by New- and Invoke-Container.</summary>
public abstract class ContainerDefinitionCmdlet : ContainerCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "RootFs")]
    [ValidateNotNullOrEmpty]
    public string? RootFs { get; set; }

    /// <summary>
    /// An image in the store, by name or id, or a ContainerImage: its layers are the root
    /// filesystem, its config the defaults. The first positional argument, as in docker run; a
    /// path there (/, ./, ../ or ~ first, which no image reference starts with) is a root
    /// filesystem folder, as -RootFs.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Image", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ImageArgument]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>The command and its arguments: every argument after the image (docker run's shape).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>When to pull the image from its registry: Missing (default), Always, Never.</summary>
    [Parameter(ParameterSetName = "Image")]
    public PullPolicy Pull { get; set; } = PullPolicy.Missing;

    /// <summary>Replaces the image's Entrypoint (docker --entrypoint).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    public string? User { get; set; }

    [Parameter]
    public string? Hostname { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    public string[]? Volume { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Keep the container's stdin open for attach clients (docker -i).</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>Give the container a pseudo-terminal (docker -t).</summary>
    [Parameter]
    public SwitchParameter Tty { get; set; }

    /// <summary>Its shim removes the container once it has exited, started detached or not (docker run --rm).</summary>
    [Parameter]
    public SwitchParameter AutoRemove { get; set; }

    /// <summary>Kill and remove the container when the PowerShell session that starts it ends, however it ends.</summary>
    [Parameter]
    public SwitchParameter RemoveWithSession { get; set; }

    /// <summary>The root filesystem folder, from -RootFs or a path given where the image goes.</summary>
    private string? RootFsFolder => RootFs ?? (ImageIsPath ? Image : null);

    private bool ImageIsPath => Image is { } image
        && (image is "." or ".." or "~" || image.StartsWith('/') || image.StartsWith("./") || image.StartsWith("../") || image.StartsWith("~/"));

    private string? ImageReference => ImageIsPath ? null : Image;

    protected ContainerOptions ToOptions(bool interactive = false) => new()
    {
        RootFs = RootFsFolder is { } folder ? GetUnresolvedProviderPathFromPSPath(folder) : null,
        Image = ImageReference,
        Name = Name,
        Command = Command,
        Entrypoint = Entrypoint,
        Environment = ToDictionary(Environment),
        WorkingDirectory = WorkingDirectory,
        User = User,
        Hostname = Hostname,
        Labels = ToDictionary(Label),
        Volumes = Volume ?? [],
        ReadOnly = ReadOnly,
        Interactive = interactive || Interactive,
        Tty = Tty,
        AutoRemove = AutoRemove,
        RemoveWithSession = RemoveWithSession,
    };

    /// <summary>
    /// Pulls the image first when -Pull asks for it (the engine decides), showing its progress.
    /// For registries that need credentials, Request-ContainerImage -Credential first.
    /// </summary>
    protected void PullImageIfNeeded()
    {
        if (ImageReference is not { } image || !Engine.Images.NeedsPull(image, Pull)) return;
        new ImageProgressPump(this, StopToken).Run($"Pulling {image}",
            (progress, cancel) => Engine.Images.Pull(image, credential: null, allowInsecure: false, progress, cancel));
    }

    private static Dictionary<string, string> ToDictionary(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? [];
}
