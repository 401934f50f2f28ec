using System.Collections;
using System.Management.Automation;
using Conman.Engine.Shim;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Errors;

namespace Conman.Cmdlets;

/// <summary>
/// Runs a process in a running container (docker exec -i) from scripts: pipeline input to its
/// stdin (a line per object, EOF at the end), stdout to the pipeline, stderr to the error stream,
/// $LASTEXITCODE set. The process runs under its own shim and starts only once attached.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(string), typeof(byte[]))]
public sealed class InvokeContainerCommandCommand : ContainerCmdlet, IDisposable
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>The command and its arguments: every argument after the container's name (docker exec's shape).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Accepted for symmetry with docker exec -i: stdin is always open here.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    [Parameter]
    public SwitchParameter Tty { get; set; }

    [Parameter]
    public string? User { get; set; }

    [Parameter]
    [EnvironmentArgument]
    public Hashtable? Environment { get; set; }

    [Parameter]
    public string? WorkingDirectory { get; set; }

    private ExecSession? _exec;
    private AttachedOutput? _output;

    /// <summary>Write stdout to the pipeline as byte arrays, as it comes, rather than as lines of text (binary output).</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }
    private string _containerName = "";

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        using var tracing = Tracing();
        try
        {
            var container = Engine.Containers.Get(ParameterSetName == IdSet ? Id : Name);
            _containerName = container.Name;
            if (!ShouldProcess(container.Name, $"Run '{string.Join(' ', Command)}'")) return;
            if (Tty && Terminal.TerminalSize.OfHost() is null)
            {
                WriteWarning("-Tty without a terminal: the command's pseudo-terminal is 24x80, and its stdout and stderr come as one stream.");
            }
            var options = new ExecOptions
            {
                Command = Command,
                Interactive = true,
                Tty = Tty,
                User = User,
                Environment = Environment?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? [],
                WorkingDirectory = WorkingDirectory,
                TerminalSize = Tty ? Terminal.TerminalSize.OfHostOrDefault() : null,
            };
            _exec = Engine.Containers.Exec(container.Id, options, AttachOptions.All);
            _output = new AttachedOutput(_exec.Stream, stdoutAsBytes: AsByteStream);
        }
        catch (ConmanException e)
        {
            SetExitCodeOfStartFailure(e);
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        if (_output is not null && InputObject is not null) FeedLine(_output, InputObject, _containerName);
    }

    protected override void EndProcessing()
    {
        if (_output is null || _exec is null) return;
        var exit = FinishAttached(_output, _containerName);
        if (StopToken.IsCancellationRequested) return;
        if ((exit ?? _exec.ReadExit())?.ExitCode is int code)
        {
            ReportExitCode(code, _containerName);
            return;
        }
        WriteError(ToErrorRecord(_exec.LostReason() is { } lost
            ? CmdletErrors.ExecLost(_containerName, lost)
            : CmdletErrors.ExecAttachCutOff(_containerName)));
    }

    public void Dispose()
    {
        _output?.Dispose();
        _exec?.Dispose();
    }
}
