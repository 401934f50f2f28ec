using System.Collections;
using System.Management.Automation;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : ContainerCmdlet, IContainerParameters
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string RootFs { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

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

    protected override void ProcessRecord()
    {
        var options = ToOptions(this, GetUnresolvedProviderPathFromPSPath(RootFs));
        if (!ShouldProcess(Name ?? RootFs, "Create container")) return;
        Try(() => WriteObject(new Container(Engine.Create(options))));
    }

    /// <summary>The container parameters New-Container and Invoke-Container share.</summary>
    internal static ContainerOptions ToOptions(IContainerParameters p, string rootFs, bool interactive = false) => new()
    {
        RootFs = rootFs,
        Name = p.Name,
        Command = p.Command ?? ["/bin/sh"],
        Environment = ToDictionary(p.Environment),
        WorkingDirectory = p.WorkingDirectory,
        User = p.User,
        Hostname = p.Hostname,
        Labels = ToDictionary(p.Label),
        Volumes = p.Volume ?? [],
        ReadOnly = p.ReadOnly,
        Interactive = interactive || p.Interactive,
    };

    private static Dictionary<string, string> ToDictionary(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? [];
}
