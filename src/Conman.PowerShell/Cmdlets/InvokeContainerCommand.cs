using System.Management.Automation;
using Conman.Attach;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Supervision;
using Conman.Errors;
using Conman.Protocol;

namespace Conman.Cmdlets;

/// <summary>
/// PowerShell's "docker run --rm -i": creates a container, starts it attached, feeds pipeline
/// input to its stdin (a line per object, EOF at the end), writes its stdout to the pipeline and
/// removes it afterwards unless -Keep. Ctrl+C kills and removes it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Image")]
[OutputType(typeof(string), typeof(byte[]))]
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

    private ContainerSnapshot? _container;
    private AttachedOutput? _output;

    /// <summary>Write stdout to the pipeline as byte arrays, as it comes, rather than as lines of text (binary output).</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }
    private bool _removed;
    private Timer? _deadline;
    private volatile bool _timedOut;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // As docker run refuses --rm with --restart: a container removed at its first exit has no next run.
        if (!Keep && RestartPolicy != RestartPolicy.No) ThrowTerminatingError(ToErrorRecord(CmdletErrors.RestartPolicyWithoutKeep(RestartPolicy)));
        string what = Command is null ? "its default command" : $"'{string.Join(' ', Command)}'";
        if (!ShouldProcess(Image ?? RootFs, $"Run {what} in a new container")) return;
        using var tracing = Tracing();
        try
        {
            var options = ToOptions(interactive: true);
            PullImageIfNeeded();
            _container = Engine.Containers.Create(options);
            if (Tty && Terminal.TerminalSize.OfHost() is null)
            {
                WriteWarning("-Tty without a terminal: the container's pseudo-terminal is 24x80, and its stdout and stderr come as one stream.");
            }
            var (_, stream) = Engine.Containers.Start(_container.Id, new AttachRequest { Stdin = true, Stdout = true, Stderr = true },
                Tty ? Terminal.TerminalSize.OfHostOrDefault() : null);
            _output = new AttachedOutput(stream!, stdoutAsBytes: AsByteStream);
            if (Timeout is int seconds) _deadline = new Timer(_ => KillAtDeadline(), null, TimeSpan.FromSeconds(seconds), System.Threading.Timeout.InfiniteTimeSpan);
        }
        catch (ConmanException e)
        {
            RemoveContainer(report: true);
            SetExitCodeOfStartFailure(e);
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        if (_output is not null && InputObject is not null) FeedLine(_output, InputObject, _container!.Name);
    }

    protected override void EndProcessing()
    {
        if (_output is null || _container is null) return;
        using var tracing = Tracing();
        var exit = FinishAttached(_output, _container.Name);
        if (StopToken.IsCancellationRequested) return;
        _deadline?.Dispose();
        if (_timedOut) WriteWarning($"The container '{_container.Name}' ran longer than {Timeout} s and was killed.");
        var final = ReportAttachEnd(exit, _container.Id, _container.Name);
        // A container still running after a cut-off attachment is kept: its output is in its log.
        // One another session removed meanwhile is gone already.
        if (final is null || final.State == ContainerState.Running) _removed = true;
        else RemoveContainer(report: true);
        WriteTrace();
    }

    /// <summary>On the timer's thread: the shim kills the container, whose exit then ends the output as any exit does.</summary>
    private void KillAtDeadline()
    {
        _timedOut = true;
        try
        {
            Engine.Containers.Stop(_container!.Id, TimeSpan.Zero);
        }
        catch (ConmanException)
        {
            // It exited, or was removed, meanwhile: nothing left to kill.
        }
    }

    private void RemoveContainer(bool report)
    {
        if (_container is null || _removed || Keep) return;
        _removed = true;
        try
        {
            // As docker run --rm: its anonymous volumes go with it, named ones stay.
            Engine.Containers.Remove(_container.Id, force: true, removeVolumes: true);
        }
        catch (ConmanException e) when (report)
        {
            WriteWarning($"Could not remove the container '{_container.Name}': {e.Message}");
        }
        catch (ConmanException)
        {
            // Called from Dispose, where the pipeline is gone; Get-Container still shows it.
        }
    }

    /// <summary>Runs however the pipeline ended, Ctrl+C included: no container is left behind.</summary>
    public void Dispose()
    {
        _deadline?.Dispose();
        _output?.Dispose();
        RemoveContainer(report: false);
    }
}
