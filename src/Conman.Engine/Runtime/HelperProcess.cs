using System.Diagnostics;

namespace Conman.Engine.Runtime;

/// <summary>
/// A helper (runc, conman-shim) started with an argument list, never a shell string, and all
/// three stdio streams redirected: a helper on the terminal would have .NET switch it to cooked
/// mode under an interactive session. Its stdin is closed at once. Disposing it closes the pipes
/// too: Process.Dispose leaves the streams it handed out open until the finalizer runs, and a
/// session running runc often held dozens of them.
/// </summary>
internal sealed class HelperProcess : IDisposable
{
    private readonly Process _process;

    private HelperProcess(Process process) => _process = process;

    /// <param name="Killed">It ran past its bound and was killed; its exit code then means nothing.</param>
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr, bool Killed = false);

    /// <param name="input">Written to the helper's stdin before it is closed (a CNI plugin's config).</param>
    /// <param name="environment">Variables set for the helper over the session's own.</param>
    public static HelperProcess Start(string path, IEnumerable<string> arguments, byte[]? input = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        EngineTrace.Verbose($"Running {System.IO.Path.GetFileName(path)} {string.Join(' ', start.ArgumentList.Take(2))}");
        EngineTrace.Debug(() => $"{path} {string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ') ? $"'{a}'" : a))}");
        var process = Process.Start(start)!;
        if (input is not null) process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        return new HelperProcess(process);
    }

    /// <summary>Runs the helper to its end (killed once <paramref name="limit"/> passed, if given) and collects what it wrote.</summary>
    public static Result Run(string path, IEnumerable<string> arguments, byte[]? input = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        using var helper = Start(path, arguments, input, environment);
        var stderr = helper.Stderr.ReadToEndAsync();
        var stdout = helper.Stdout.ReadToEndAsync();
        bool killed = false;
        if (!helper._process.WaitForExit(limit ?? Timeout.InfiniteTimeSpan))
        {
            helper._process.Kill(entireProcessTree: true);
            killed = true;
        }
        helper.WaitForExit();
        EngineTrace.Verbose($"{System.IO.Path.GetFileName(path)} exited {helper.ExitCode} after {clock.ElapsedMilliseconds} ms");
        return new Result(helper.ExitCode, stdout.Result, stderr.Result, killed);
    }

    public StreamReader Stdout => _process.StandardOutput;
    public StreamReader Stderr => _process.StandardError;
    public int ExitCode => _process.ExitCode;
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public void WaitForExit() => _process.WaitForExit();

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        _process.StandardOutput.Dispose();
        _process.StandardError.Dispose();
        _process.Dispose();
    }
}
