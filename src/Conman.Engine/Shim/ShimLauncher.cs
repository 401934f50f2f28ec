using System.Diagnostics;
using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>
/// Starts conman-shim for one run of a container and waits for its one ShimReady frame: runc
/// create's outcome. The shim detaches itself (setsid) and outlives this process.
/// </summary>
public sealed class ShimLauncher(string shimPath)
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
        return File.Exists(path)
            ? path
            : throw new ConmanException(ConmanErrorKind.ResourceUnavailable, "ShimNotFound", $"conman-shim was not found at '{path}'. Build the module with ./build.ps1.", path);
    }

    /// <param name="beforeReady">Called with the shim's identity as soon as it runs, before its
    /// report: to record it, and, for a shim that waits for its first client before runc runs
    /// anything (an attached start, an exec), to connect that client.</param>
    public ShimIdentity Launch(ShimArguments arguments, Action<ShimIdentity>? beforeReady = null)
    {
        var start = new ProcessStartInfo(ShimPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments.ToList()) start.ArgumentList.Add(argument);
        using var shim = Process.Start(start)!;
        // Process.Dispose leaves the streams it handed out open until the finalizer runs.
        using var stdoutReader = shim.StandardOutput;
        using var stderrReader = shim.StandardError;
        // Read now: the shim lives at least until it reports, but a container started at once
        // may have run and the shim finished by the time the report is read.
        ulong? startTime = ProcessIdentity.ReadStartTime(shim.Id);
        shim.StandardInput.Close();
        var stderr = stderrReader.ReadToEndAsync();

        var read = Task.Run(() => ShimReady.Parser.ParseDelimitedFrom(stdoutReader.BaseStream));
        try
        {
            beforeReady?.Invoke(new ShimIdentity { Pid = shim.Id, StartTime = startTime ?? 0 });
        }
        catch
        {
            shim.Kill();
            throw;
        }
        if (!read.Wait(ReadyTimeout))
        {
            shim.Kill();
            throw new ConmanException(ConmanErrorKind.Timeout, "ShimTimeout", "conman-shim did not report within 60 s.", arguments.ContainerId);
        }
        ShimReady ready;
        try
        {
            ready = read.Result;
        }
        catch (AggregateException e) when (e.InnerException is Google.Protobuf.InvalidProtocolBufferException or IOException)
        {
            shim.WaitForExit();
            throw new ConmanException(ConmanErrorKind.RuntimeFailed, "ShimFailed",
                $"conman-shim exited with code {shim.ExitCode} before reporting: {stderr.Result.Trim()}", arguments.ContainerId);
        }
        if (ready.ResultCase == ShimReady.ResultOneofCase.Error)
        {
            shim.WaitForExit();
            throw new ConmanException(ConmanErrorKind.RuntimeFailed, "ContainerCreateFailed", ready.Error, arguments.ContainerId);
        }
        if (startTime is null)
        {
            throw new ConmanException(ConmanErrorKind.RuntimeFailed, "ShimFailed", "conman-shim could not be identified as it started.", arguments.ContainerId);
        }
        return new ShimIdentity { Pid = shim.Id, StartTime = startTime.Value, ContainerPid = ready.ContainerPid };
    }
}

/// <summary>The shim's command line; see ShimOptions in the shim for the other side.</summary>
public sealed record ShimArguments(string ContainerId, string Bundle, string Runtime, string RuntimeRoot,
    string LogPath, string ExitPath, string SocketPath, bool Interactive, bool Tty = false,
    string? ExecProcess = null, bool AwaitClient = false)
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
        return list;
    }
}
