using Conman.Engine.Runtime;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Engine.Shim;

/// <summary>
/// Starts conman-shim for one run of a container and waits for its one ShimReady frame: runc
/// create's outcome. The shim detaches itself (setsid) and outlives this process.
/// </summary>
internal sealed class ShimLauncher(string shimPath)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public string ShimPath { get; } = shimPath;

    /// <summary>conman-shim from $CONMAN_SHIM, else beside the engine's assembly.</summary>
    public static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("CONMAN_SHIM");
        string path = !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(Path.GetDirectoryName(typeof(ShimLauncher).Assembly.Location)!, "conman-shim");
        if (!File.Exists(path)) throw ConmanErrors.ShimNotFound(path);
        ShimExecutable.EnsureRunnable(path);
        return path;
    }

    /// <param name="beforeReady">Called as soon as the shim runs, before its report: for a shim
    /// that waits for its first client before runc runs anything (an attached start, an exec),
    /// to connect that client.</param>
    /// <returns>The pid of the process runc started.</returns>
    public int Launch(ShimArguments arguments, Action? beforeReady = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var shim = HelperProcess.Start(ShimPath, arguments.ToList());
        var stderr = shim.Stderr.ReadToEndAsync();

        var read = Task.Run(() => ShimReady.Parser.ParseDelimitedFrom(shim.Stdout.BaseStream));
        try
        {
            beforeReady?.Invoke();
        }
        catch
        {
            shim.Kill();
            throw;
        }
        ShimReady ready;
        try
        {
            if (!read.Wait(ReadyTimeout))
            {
                shim.Kill();
                throw ConmanErrors.ShimTimeout("conman-shim did not report within 60 s.", arguments.ContainerId);
            }
            ready = read.Result;
        }
        catch (AggregateException e) when (e.InnerException is InvalidProtocolBufferException or IOException)
        {
            // It died (or was killed) before its report: a truncated or empty frame.
            shim.WaitForExit();
            throw ConmanErrors.ShimFailed($"conman-shim exited with code {shim.ExitCode} before reporting: {stderr.Result.Trim()}", arguments.ContainerId);
        }
        switch (ready.ResultCase)
        {
            case ShimReady.ResultOneofCase.ContainerPid:
                EngineTrace.Verbose($"conman-shim (pid {shim.Pid}) started the container's process (pid {ready.ContainerPid}) in {clock.ElapsedMilliseconds} ms");
                return ready.ContainerPid;
            case ShimReady.ResultOneofCase.Error:
                shim.WaitForExit();
                throw ConmanErrors.ContainerCreateFailed(ready.Error, arguments.ContainerId);
            default:
                shim.WaitForExit();
                throw ConmanErrors.ShimFailed($"conman-shim exited with code {shim.ExitCode} with an empty report: {stderr.Result.Trim()}", arguments.ContainerId);
        }
    }
}

/// <summary>The shim's command line; see ShimOptions in the shim for the other side.</summary>
internal sealed record ShimArguments(string ContainerId, string Bundle, string Runtime, string RuntimeRoot,
    string LogPath, string ExitPath, string SocketPath, bool Interactive, bool Tty = false,
    string? ExecProcess = null, bool AwaitClient = false, string? RunPath = null, string? TeardownPath = null, bool DeleteWithRuntime = false,
    IReadOnlyList<string>? HoldPorts = null, string? RestartPolicy = null, ShimHealthArguments? Health = null, ContainerLifetime? Lifetime = null,
    LogRotation? LogRotation = null, string? DependentsFolder = null)
{
    public List<string> ToList()
    {
        var list = new List<string>
        {
            "--id", ContainerId, "--bundle", Bundle, "--runtime", Runtime, "--runtime-root", RuntimeRoot,
            "--log", LogPath, "--exit-file", ExitPath, "--socket", SocketPath,
        };
        if (Interactive) list.Add("--interactive");
        if (Tty) list.Add("--tty");
        if (ExecProcess is not null) list.AddRange(["--exec-process", ExecProcess]);
        if (AwaitClient) list.Add("--await-client");
        if (RunPath is not null) list.AddRange(["--run-file", RunPath]);
        if (TeardownPath is not null) list.AddRange(["--teardown", TeardownPath]);
        if (DependentsFolder is not null) list.AddRange(["--dependents", DependentsFolder]);
        if (DeleteWithRuntime) list.Add("--delete-with-runtime");
        if (HoldPorts is { Count: > 0 }) list.AddRange(["--hold-ports", string.Join(',', HoldPorts)]);
        if (RestartPolicy is not null) list.AddRange(["--restart", RestartPolicy]);
        if (Health is not null) list.AddRange(Health.ToList());
        if (Lifetime is not null) list.AddRange(Lifetime.ToArguments());
        if (LogRotation is not null) list.AddRange(Logs.LogRotations.ShimArguments(LogRotation));
        return list;
    }
}

/// <summary>The shim's health check options: the process to exec, where to record its results, and when.</summary>
internal sealed record ShimHealthArguments(string ProcessPath, string RecordPath, Protocol.ContainerHealthCheck Check)
{
    public IEnumerable<string> ToList()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return
        [
            "--health-process", ProcessPath, "--health-file", RecordPath,
            "--health-interval", Check.IntervalMilliseconds.ToString(invariant), "--health-timeout", Check.TimeoutMilliseconds.ToString(invariant),
            "--health-start-period", Check.StartPeriodMilliseconds.ToString(invariant), "--health-retries", Check.Retries.ToString(invariant),
            "--health-on-failure", Supervision.HealthChecks.ShimArgument(Check.OnFailure),
        ];
    }
}
