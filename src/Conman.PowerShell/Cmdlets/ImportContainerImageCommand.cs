using System.Management.Automation;

namespace Conman.Cmdlets;

[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>An OCI image layout folder, an OCI archive, or a docker save archive; wildcards expand to every match.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>As -Path, taken as it is written: no wildcards (Get-ChildItem's output binds here).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string resolved in ResolvePaths())
        {
            if (!ShouldProcess(resolved, "Import container image")) continue;
            Try(() =>
            {
                var images = new ImageProgressPump(this, StopToken).Run($"Importing {resolved}", (progress, cancel) => Engine.Images.Import(resolved, Name, progress, cancel));
                foreach (var image in images) WriteObject(ContainerImage.From(image), enumerateCollection: true);
            });
        }
    }

    /// <summary>-LiteralPath as written; -Path with its wildcards expanded, a pattern that matches nothing being an error, as Get-Item's.</summary>
    private IEnumerable<string> ResolvePaths()
    {
        if (ParameterSetName == LiteralPathSet)
        {
            foreach (string path in LiteralPath) yield return GetUnresolvedProviderPathFromPSPath(path);
            yield break;
        }
        foreach (string path in Path)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                yield return GetUnresolvedProviderPathFromPSPath(path);
                continue;
            }
            IReadOnlyList<string> matches;
            try
            {
                matches = GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException)
            {
                matches = [];
            }
            if (matches.Count == 0)
            {
                var missing = new ItemNotFoundException($"Nothing matches the path '{path}'.");
                WriteError(new ErrorRecord(missing, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            }
            foreach (string match in matches) yield return match;
        }
    }
}
