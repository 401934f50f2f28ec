using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>What every Conman cmdlet shares: the engine, and ConmanExceptions as ErrorRecords.</summary>
public abstract class ContainerCmdlet : PSCmdlet
{
    private ContainerEngine? _engine;
    private readonly CancellationTokenSource _stopping = new();

    protected ContainerEngine Engine => _engine ??= ContainerEngine.FromEnvironment();

    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Stopping => _stopping.Token;

    protected override void BeginProcessing()
    {
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
        return new ErrorRecord(e, e.ErrorId, category, e.Target);
    }

    /// <summary>Runs one step; a ConmanException becomes a non-terminating error for that target.</summary>
    protected void Try(Action action)
    {
        try
        {
            action();
        }
        catch (ConmanException e)
        {
            WriteError(ToErrorRecord(e));
        }
    }

    /// <summary>stdout lines go to the output stream as strings, stderr lines to the error stream.</summary>
    internal void WriteOutputLine(Attach.OutputLine line, string containerName)
    {
        if (!line.IsStderr)
        {
            WriteObject(line.Text);
            return;
        }
        var record = new ErrorRecord(new RemoteException(line.Text), "ContainerStderr", ErrorCategory.NotSpecified, containerName);
        record.ErrorDetails = new ErrorDetails(line.Text);
        WriteError(record);
    }

    /// <summary>As a native command does: the container's exit code lands in $LASTEXITCODE.</summary>
    protected void SetLastExitCode(int exitCode) =>
        SessionState.PSVariable.Set(new PSVariable("global:LASTEXITCODE", exitCode));
}
