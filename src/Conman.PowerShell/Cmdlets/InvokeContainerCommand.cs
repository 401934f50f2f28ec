using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>
/// PowerShell's "docker run --rm -i": creates a container, starts it attached, feeds pipeline
/// input to its stdin (a line per object, EOF at the end), writes its stdout to the pipeline and
/// removes it afterwards unless -Keep. Ctrl+C kills and removes it. With -Detach, docker run -d:
/// starts it in the background and returns it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Image")]
[OutputType(typeof(string), typeof(byte[]), typeof(Container))]
public sealed class InvokeContainerCommand : ContainerDefinitionCmdlet, IDisposable
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Keep the container after it exits (docker run without --rm).</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    /// <summary>Seconds the container may run before it is killed (podman run --timeout); it then exits 137, with a warning.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Write stdout to the pipeline as byte arrays, as it comes, rather than as lines of text (binary output).</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }

    /// <summary>
    /// Start it in the background and return it, as docker run -d: it stays until removed (or, with
    /// -AutoRemove, until it exits). -d is Docker's spelling.
    /// </summary>
    [Parameter]
    [Alias("d")]
    public SwitchParameter Detach { get; set; }

    private RunSession? _run;

    /// <summary>The run was started (or -WhatIf said what it would start): what comes from the pipeline after is stdin.</summary>
    private bool _started;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Detach)
        {
            using var detached = Tracing();
            RunDetached();
            _started = true;
            return;
        }
        // With pipeline input the run waits for the first object: an image piped in
        // (Get-ContainerImage busybox | Invoke-Container -- echo hi) is the image, and the words
        // after Invoke-Container, the first of which PowerShell bound as the image, are the command.
        if (!MyInvocation.ExpectingInput) StartRun();
    }

    private void StartRun()
    {
        _started = true;
        string what = Command is null ? "its default command" : $"'{string.Join(' ', Command)}'";
        if (!ShouldProcess(Image ?? RootFs, $"Run {what} in a new container")) return;
        using var tracing = Tracing();
        try
        {
            var options = ToOptions(interactive: true);
            PullImageIfNeeded();
            if (Tty && Terminal.TerminalSize.OfHost() is null)
            {
                WriteWarning("-Tty without a terminal: the container's pseudo-terminal is 24x80, and its stdout and stderr come as one stream.");
            }
            _run = Engine.Containers.Run(options, new RunOptions(Keep, Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null, AsByteStream,
                Terminal.TerminalSize.OfHost()));
        }
        catch (ConmanException e)
        {
            SetExitCodeOfStartFailure(e);
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    /// <summary>docker run -d: created and started, not attached (it is kept, as -Keep would); a failed start leaves it Created, as Docker does.</summary>
    private void RunDetached()
    {
        foreach (var (parameter, given) in new[] { ("Timeout", Timeout is not null), ("AsByteStream", AsByteStream.IsPresent) })
        {
            if (given) ThrowTerminatingError(ToErrorRecord(Errors.CmdletErrors.DetachedRunConflict(parameter)));
        }
        var options = ToOptions();
        try
        {
            PullImageIfNeeded();
            var created = Engine.Containers.Create(options);
            WriteObject(new Container(Engine.Containers.Start(created.Id).Container));
        }
        catch (ConmanException e)
        {
            SetExitCodeOfStartFailure(e);
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        if (!_started)
        {
            if (InputObject?.BaseObject is ContainerImage piped && Image is not null && !CommandStart.Names(MyInvocation, nameof(Image)))
            {
                Command = [Image, .. Command ?? []];
                Image = piped.Reference;
                StartRun();
                return;
            }
            StartRun();
        }
        if (_run is not null && InputObject is not null) FeedLine(_run.Output, InputObject, _run.Container.Name);
    }

    protected override void EndProcessing()
    {
        if (!_started) StartRun();
        if (_run is null) return;
        using var tracing = Tracing();
        var exit = FinishAttached(_run.Output, _run.Container.Name);
        if (StopToken.IsCancellationRequested) return;
        var end = _run.Finish(exit);
        if (end.TimedOut) WriteWarning($"The container '{_run.Container.Name}' ran longer than {Timeout} s and was killed.");
        ReportAttachEnd(end.Attach, _run.Container.Name);
        if (end.NotRemoved is { } e) WriteWarning($"Could not remove the container '{_run.Container.Name}': {e.Message}");
        WriteTrace();
    }

    /// <summary>Runs however the pipeline ended, Ctrl+C included: no container is left behind.</summary>
    public void Dispose() => _run?.Dispose();
}
