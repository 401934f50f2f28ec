using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Errors;

namespace Conman.Cmdlets;

/// <summary>What every Conman cmdlet shares: the engine, and ConmanExceptions as ErrorRecords.</summary>
public abstract class ContainerCmdlet : PSCmdlet
{
    private ContainerEngine? _engine;
    private readonly CancellationTokenSource _stopping = new();
    /// <summary>The engine's trace (EngineTrace), from whatever thread it came, until the pipeline thread writes it.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<(bool Debug, string Message)> _trace = new();
    private int _pipelineThread;

    protected ContainerEngine Engine => _engine ??= OpenEngine();

    /// <summary>
    /// The engine of $env:CONMAN_ROOT's store, whose session reaper (-RemoveWithSession) is a pwsh
    /// that imports this module and removes what the ended session left.
    /// </summary>
    private ContainerEngine OpenEngine()
    {
        var engine = ContainerEngine.FromEnvironment();
        string pwsh = Path.Combine(SessionState.PSVariable.GetValue("PSHOME") as string ?? "", "pwsh");
        string manifest = Path.Combine(Path.GetDirectoryName(typeof(ContainerCmdlet).Assembly.Location)!, "Conman.psd1");
        // A host without pwsh beside it (PowerShell hosted in another program) has no reaper: a
        // running container is still removed by its shim, the rest by the next reaper of any
        // session, whose RemoveEnded takes every ended session's.
        if (!File.Exists(pwsh)) return engine;
        engine.Sessions.ReaperCommand = [pwsh, "-NoProfile", "-NonInteractive", "-Command",
            // A store removed meanwhile (a test's) has nothing left to remove, and must not be made again.
            $"if (Test-Path -LiteralPath $env:CONMAN_ROOT) {{ Import-Module '{manifest.Replace("'", "''")}'; $null = [Conman.Engine.ContainerEngine]::FromEnvironment().Sessions.RemoveEnded() }}"];
        return engine;
    }

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void BeginProcessing()
    {
        _pipelineThread = Environment.CurrentManagedThreadId;
        try
        {
            _ = Engine;
        }
        catch (ConmanException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// -Verbose and -Debug: the engine's trace is written at once on the pipeline thread (where
    /// WriteVerbose must be called); what other threads traced (a pull's layers, a timer) waits
    /// for the next write there, or for <see cref="WriteTrace"/>.
    /// </summary>
    private void Trace(bool debug, string message)
    {
        _trace.Enqueue((debug, message));
        if (Environment.CurrentManagedThreadId == _pipelineThread) WriteTrace();
    }

    /// <summary>Writes what the engine traced so far; on the pipeline thread only.</summary>
    protected void WriteTrace()
    {
        while (_trace.TryDequeue(out var entry))
        {
            if (entry.Debug) WriteDebug(entry.Message);
            else WriteVerbose(entry.Message);
        }
    }

    /// <summary>
    /// Listens to the engine's trace for the calls made until it is disposed (and what they start:
    /// the listener flows with them), so that each cmdlet of a pipeline writes its own.
    /// </summary>
    protected IDisposable Tracing() => EngineTrace.Listen(m => Trace(false, m), DebugWanted ? m => Trace(true, m) : null);

    /// <summary>Whether WriteDebug would show anything: -Debug, or $DebugPreference other than SilentlyContinue or Ignore.</summary>
    private bool DebugWanted
    {
        get
        {
            object? value = MyInvocation.BoundParameters.TryGetValue("Debug", out object? bound)
                ? (((SwitchParameter)bound!).IsPresent ? ActionPreference.Continue : ActionPreference.SilentlyContinue)
                : SessionState.PSVariable.GetValue("DebugPreference");
            return LanguagePrimitives.TryConvertTo(value, out ActionPreference preference) && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
        }
    }

    /// <summary>
    /// The id, category and target the engine gave; where the user has something to do next, the
    /// advice as RecommendedAction, which PowerShell's default (concise) error view shows on a
    /// line of its own under the message ("Recommendation: ..."), so it is not repeated in it.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(ConmanException e)
    {
        var category = e.Kind switch
        {
            ConmanErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            ConmanErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            ConmanErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
            ConmanErrorKind.InvalidState => ErrorCategory.InvalidOperation,
            ConmanErrorKind.RuntimeFailed => ErrorCategory.InvalidResult,
            ConmanErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            ConmanErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            ConmanErrorKind.Timeout => ErrorCategory.OperationTimeout,
            _ => ErrorCategory.NotSpecified,
        };
        var record = new ErrorRecord(e, e.ErrorId, category, e.Target);
        if (ErrorAdvice.For(e.ErrorId) is { } advice)
        {
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = advice };
        }
        return record;
    }

    /// <summary>
    /// A prune asks once before it removes anything, as docker's prune does ("Are you sure you want
    /// to continue?"), unless -Force; -WhatIf has already listed each without removing. A session
    /// that cannot ask (pwsh -NonInteractive) removes nothing and says to add -Force.
    /// </summary>
    protected bool ConfirmPrune(IReadOnlyList<string> names, string what, bool force)
    {
        if (names.Count == 0 || force) return true;
        try
        {
            return ShouldContinue($"Remove {names.Count} unused {what}: {string.Join(", ", names)}?", $"Remove unused {what}");
        }
        catch (PSInvalidOperationException)
        {
            // The host's "NonInteractive mode" refusal to prompt.
            WriteError(ToErrorRecord(Errors.CmdletErrors.PruneNotConfirmed(what, names.Count)));
            return false;
        }
    }

    /// <summary>Runs one step; a ConmanException becomes a non-terminating error for that target.</summary>
    protected void Try(Action action)
    {
        try
        {
            using var _ = Tracing();
            action();
        }
        catch (ConmanException e)
        {
            WriteError(ToErrorRecord(e));
        }
        finally
        {
            WriteTrace();
        }
    }

    /// <summary>
    /// stdout lines go to the output stream as strings, stderr lines to the error stream as a
    /// native command's do: shown and kept, never ending the script (see NativeCommandSemantics).
    /// </summary>
    internal void WriteOutputLine(Engine.Shim.OutputLine line, string containerName)
    {
        if (line.Bytes is { } bytes)
        {
            // One byte[] per chunk, not enumerated: Set-Content -AsByteStream writes them as they come.
            WriteObject(bytes, enumerateCollection: false);
            return;
        }
        if (!line.IsStderr)
        {
            WriteObject(line.Text);
            return;
        }
        NativeCommandSemantics.WriteStderr(this, new ErrorRecord(new RemoteException(line.Text), CmdletErrorIds.StderrLine, ErrorCategory.NotSpecified, containerName));
    }

    /// <summary>Writes one pipeline object to an attached process's stdin as a line, then passes on what it printed so far.</summary>
    internal void FeedLine(Engine.Shim.AttachedOutput output, PSObject input, string containerName)
    {
        string line = input.BaseObject is string s ? s : LanguagePrimitives.ConvertTo<string>(input);
        try
        {
            output.Stream.WriteStdin(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (IOException)
        {
            // The process stopped reading (it exited): what it printed still follows.
        }
        foreach (var printed in output.Available()) WriteOutputLine(printed, containerName);
    }

    /// <summary>
    /// Ends the process's stdin and passes on its output until it exits; returns the exit frame,
    /// or null when the pipeline was stopped or the connection ended without one.
    /// </summary>
    internal Engine.Shim.ExitStatus? FinishAttached(Engine.Shim.AttachedOutput output, string containerName)
    {
        try
        {
            output.Stream.CloseStdin();
        }
        catch (IOException)
        {
        }
        foreach (var line in output.UntilEnd(StopToken)) WriteOutputLine(line, containerName);
        return StopToken.IsCancellationRequested ? null : output.Exit;
    }

    /// <summary>
    /// After an attached container's output ended: sets $LASTEXITCODE from its exit status, or
    /// says why there is none (the engine decides which, from the shim's last frame). A client
    /// that fell too far behind the output is cut off by the shim, so that it never holds the
    /// container back; the container runs on and its log is whole.
    /// </summary>
    /// <returns>The container as it is now; null when it was removed meanwhile.</returns>
    internal ContainerSnapshot? ReportAttachEnd(Engine.Shim.ExitStatus? exit, string containerId, string containerName) =>
        ReportAttachEnd(Engine.Containers.EndOfAttach(containerId, containerName, exit), containerName);

    /// <inheritdoc cref="ReportAttachEnd(Engine.Shim.ExitStatus?, string, string)"/>
    internal ContainerSnapshot? ReportAttachEnd(AttachEnd end, string containerName)
    {
        if (end.ExitCode is int code) ReportExitCode(code, containerName);
        if (end.Problem is { } problem) WriteError(ToErrorRecord(problem));
        return end.Container;
    }

    /// <summary>
    /// A command that could not start still gives $LASTEXITCODE, as docker run and podman exec do
    /// (127 or 126; see StartFailureExitCode); the error itself is the caller's to write.
    /// </summary>
    protected void SetExitCodeOfStartFailure(ConmanException e)
    {
        if (StartFailureExitCode.For(e) is int code) SessionState.PSVariable.Set(new PSVariable("global:LASTEXITCODE", code));
    }

    /// <summary>
    /// As a native command does: the exit code lands in $LASTEXITCODE, and a non-zero one makes $?
    /// false or, with $PSNativeCommandUseErrorActionPreference on, is an error that obeys
    /// $ErrorActionPreference.
    /// </summary>
    protected void ReportExitCode(int exitCode, string containerName)
    {
        SessionState.PSVariable.Set(new PSVariable("global:LASTEXITCODE", exitCode));
        if (exitCode == 0) return;
        if (NativeCommandSemantics.ExitCodeIsError(this)) WriteError(ToErrorRecord(CmdletErrors.NonZeroExitCode(containerName, exitCode)));
        else NativeCommandSemantics.MarkFailed(this);
    }
}
