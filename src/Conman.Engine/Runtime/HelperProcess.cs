using System.Diagnostics;

namespace Conman.Engine.Runtime;

/// <summary>
/// Runs a helper (runc) with an argument list, never a shell string, and all three stdio streams
/// redirected: a helper on the terminal would have .NET switch it to cooked mode under an
/// interactive session.
/// </summary>
public static class HelperProcess
{
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string path, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        // Process.Dispose leaves streams it handed out open until the finalizer runs: close the
        // pipes here, or a session running runc often holds dozens of them.
        process.StandardInput.Close();
        using var stderrReader = process.StandardError;
        using var stdoutReader = process.StandardOutput;
        var stderr = stderrReader.ReadToEndAsync();
        string stdout = stdoutReader.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout, stderr.Result);
    }
}
