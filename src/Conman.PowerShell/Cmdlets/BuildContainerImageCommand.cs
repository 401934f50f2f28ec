using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using Conman.Engine.Building;

namespace Conman.Cmdlets;

/// <summary>
/// Builds an image from a Containerfile (docker build, podman build). Each step shows as a progress
/// record and a line on the host ("STEP 2/5: RUN ..."; "--> cached"), a RUN's output follows on
/// the host as it comes, and only the image goes to the pipeline.
/// </summary>
[Cmdlet(VerbsLifecycle.Build, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class BuildContainerImageCommand : ContainerCmdlet
{
    /// <summary>The build context: the folder COPY and ADD take their sources from.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>The Containerfile, relative to the context; by default Containerfile, else Dockerfile, there.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? File { get; set; }

    /// <summary>Names for the image, [registry/]repository[:tag].</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    /// <summary>Values for the Containerfile's ARGs (docker build --build-arg).</summary>
    [Parameter]
    public Hashtable? BuildArg { get; set; }

    /// <summary>Labels added to the image, after the last step.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>The stage to build, by its AS name; the last by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    /// <summary>Run every step, using no step's image from the build cache.</summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    protected override void ProcessRecord()
    {
        string context = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(context, $"Build container image{(Tag.Length > 0 ? " " + string.Join(", ", Tag) : "")}")) return;
        string? file = File is null ? null : System.IO.Path.GetFullPath(File, context);
        var options = new BuildOptions(context, file, Tag, Strings(BuildArg), Strings(Label), Target, NoCache);
        Try(() =>
        {
            var events = new BlockingCollection<BuildEvent>();
            var build = Task.Run(() =>
            {
                try
                {
                    return Engine.Builds.Build(options, events.Add, StopToken);
                }
                finally
                {
                    events.CompleteAdding();
                }
            });
            try
            {
                foreach (var update in events.GetConsumingEnumerable())
                {
                    if (update.Output is { } line)
                    {
                        WriteHost(line);
                        continue;
                    }
                    WriteProgress(new ProgressRecord(1, $"Building {context}", $"Step {update.Step}/{update.Steps}: {update.Text}")
                    {
                        PercentComplete = update.Steps == 0 ? 0 : Math.Min(100, (update.Step - 1) * 100 / update.Steps),
                    });
                    WriteHost($"STEP {update.Step}/{update.Steps}: {update.Text}{(update.Cached ? " (cached)" : "")}");
                }
                WriteProgress(new ProgressRecord(1, $"Building {context}", "Done") { RecordType = ProgressRecordType.Completed });
            }
            finally
            {
                // WriteProgress throws once the pipeline stops: the build still gets to clean up first.
                ((IAsyncResult)build).AsyncWaitHandle.WaitOne();
            }
            try
            {
                WriteObject(ContainerImage.From(build.GetAwaiter().GetResult()), enumerateCollection: true);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        });
    }

    /// <summary>As Write-Host: shown whatever $InformationPreference says, and kept in the information stream.</summary>
    private void WriteHost(string text) =>
        WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, ["PSHOST"]);

    private static Dictionary<string, string> Strings(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? [];
}
