using System.Management.Automation;
using System.Reflection;

namespace Conman.Cmdlets;

/// <summary>
/// A container's output as PowerShell 7.2+ treats a native command's: stderr lines are errors that
/// show as plain lines, land in -ErrorVariable and merge with 2>&amp;1, but never end a script that set
/// $ErrorActionPreference = 'Stop'; the exit code is what says whether it failed ($? false, and an
/// error when $PSNativeCommandUseErrorActionPreference is on).
/// </summary>
/// <remarks>
/// A binary cmdlet has no public way to do either: Cmdlet.WriteError obeys the preference, and $?
/// turns false only through an error. PowerShell does both for native commands through its command
/// runtime's internal members, which are used here, found once by name. If a later PowerShell
/// renames them, stderr falls back to WriteError (terminating under 'Stop' again, $? false, and
/// shown as an error block) and a non-zero exit leaves $? as it is; Scripting.Tests.ps1 pins the
/// behaviour, so such a change shows.
/// </remarks>
internal static class NativeCommandSemantics
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly Type? CommandRuntime = Type.GetType("System.Management.Automation.MshCommandRuntime, System.Management.Automation");

    // MshCommandRuntime._WriteErrorSkipAllowCheck(ErrorRecord, ActionPreference? preference, bool isFromNativeStdError):
    // WriteError with the preference given rather than the caller's.
    private static readonly MethodInfo? WriteErrorWithPreference =
        CommandRuntime?.GetMethod("_WriteErrorSkipAllowCheck", Internal, [typeof(ErrorRecord), typeof(ActionPreference?), typeof(bool)]);

    // ErrorRecord.PreserveInvocationInfoOnce: WriteError then leaves the record's invocation info
    // unset, which would end its FullyQualifiedErrorId with ",Conman.Cmdlets.XCommand"; PowerShell's
    // error view shows a record as a native command's plain stderr line only when that id is exactly
    // NativeCommandErrorMessage.
    private static readonly PropertyInfo? PreserveInvocationInfoOnce =
        typeof(ErrorRecord).GetProperty("PreserveInvocationInfoOnce", Internal);

    // MshCommandRuntime.PipelineProcessor, whose ExecutionFailed becomes $? (inverted) once the command is done.
    private static readonly PropertyInfo? PipelineProcessor = CommandRuntime?.GetProperty("PipelineProcessor", Internal);
    private static readonly PropertyInfo? ExecutionFailed = PipelineProcessor?.PropertyType.GetProperty("ExecutionFailed", Internal | BindingFlags.Public);

    /// <summary>
    /// Writes a stderr line's record to the error stream with the caller's error preference, except
    /// that Stop and Inquire count as Continue: the line shows, as the plain line a native command's
    /// stderr shows as, and is kept ($Error, -ErrorVariable, 2>&amp;1), and the script goes on.
    /// SilentlyContinue and Ignore still hide it. $? is left as it was: whether the command failed
    /// is its exit code's to say.
    /// </summary>
    public static void WriteStderr(PSCmdlet cmdlet, ErrorRecord record)
    {
        if (WriteErrorWithPreference is null || PreserveInvocationInfoOnce is null || ExecutionFailed is null || !CommandRuntime!.IsInstanceOfType(cmdlet.CommandRuntime))
        {
            cmdlet.WriteError(record);
            return;
        }
        var preference = ErrorPreference(cmdlet);
        if (preference is ActionPreference.Stop or ActionPreference.Inquire or ActionPreference.Suspend) preference = ActionPreference.Continue;
        object pipeline = PipelineProcessor!.GetValue(cmdlet.CommandRuntime)!;
        object? failedBefore = ExecutionFailed.GetValue(pipeline);
        PreserveInvocationInfoOnce.SetValue(record, true);
        WriteErrorWithPreference.Invoke(cmdlet.CommandRuntime, [record, preference, false]);
        ExecutionFailed.SetValue(pipeline, failedBefore);
    }

    /// <summary>Makes $? false after the command, as a native command's non-zero exit does, without an error record.</summary>
    public static void MarkFailed(PSCmdlet cmdlet)
    {
        if (ExecutionFailed is null || !CommandRuntime!.IsInstanceOfType(cmdlet.CommandRuntime)) return;
        ExecutionFailed.SetValue(PipelineProcessor!.GetValue(cmdlet.CommandRuntime), true);
    }

    /// <summary>Whether a non-zero exit is an error (PowerShell 7.4's $PSNativeCommandUseErrorActionPreference).</summary>
    public static bool ExitCodeIsError(PSCmdlet cmdlet) =>
        LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("PSNativeCommandUseErrorActionPreference"));

    /// <summary>-ErrorAction when given, else $ErrorActionPreference as the caller sees it.</summary>
    private static ActionPreference ErrorPreference(PSCmdlet cmdlet)
    {
        object? value = cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound)
            ? bound
            : cmdlet.SessionState.PSVariable.GetValue("ErrorActionPreference");
        return LanguagePrimitives.TryConvertTo(value, out ActionPreference preference) ? preference : ActionPreference.Continue;
    }
}
