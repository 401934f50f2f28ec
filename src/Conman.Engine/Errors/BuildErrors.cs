namespace Conman.Engine;

// The errors of builds and commits: Containerfiles and their instructions.

public static partial class ErrorIds
{
    public const string InvalidInstruction = nameof(InvalidInstruction);
    public const string InvalidContainerfile = nameof(InvalidContainerfile);
    public const string BuildStepFailed = nameof(BuildStepFailed);
    public const string BuildSourceNotFound = nameof(BuildSourceNotFound);
    public const string BuildCopyFailed = nameof(BuildCopyFailed);
}

public static partial class ConmanErrors
{
    /// <param name="what">The instruction, and where it is: "CMD (Containerfile line 4)", "-Change 'ENV x'".</param>
    internal static ConmanException InvalidInstruction(string what, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidInstruction, $"{what} cannot be applied: {problem}.", what);

    internal static ConmanException InvalidContainerfile(string path, int line, string problem) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidContainerfile, $"{path}{(line > 0 ? $", line {line}" : "")}: {problem}.", path);

    internal static ConmanException BuildStepFailed(string step, int exitCode) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.BuildStepFailed, $"{step} failed with exit code {exitCode}.", step);

    internal static ConmanException BuildSourceNotFound(string step, string source) =>
        new(ConmanErrorKind.NotFound, ErrorIds.BuildSourceNotFound,
            $"{step}: '{source}' is not in the build context (or is left out by .dockerignore; a link in the context is followed only inside it).", source);

    /// <param name="step">The instruction and its line: "COPY (line 3)".</param>
    internal static ConmanException BuildCopyFailed(string step, string path, string action, int errno) =>
        BuildCopyFailed(step, path, action, System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno));

    internal static ConmanException BuildCopyFailed(string step, string path, string action, string problem) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.BuildCopyFailed, $"{step}: could not {action} '{path}': {problem}.", path);
}
