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

    /// <summary>Serialises the handing over of sockets: a descriptor open to inheritance is inherited by any process started meanwhile.</summary>
    private static readonly Lock Inheritance = new();

    /// <param name="config">What the shim is asked to do, written to <paramref name="configPath"/> (shim.pb), its one argument.</param>
    /// <param name="inherited">Descriptors the shim inherits under their numbers (the published ports' sockets, which its config names).</param>
    /// <param name="name">The container's name, which its errors name.</param>
    /// <param name="beforeReady">Called as soon as the shim runs, before its report: for a shim
    /// that waits for its first client before runc runs anything (an attached start, an exec),
    /// to connect that client.</param>
    /// <returns>The pid of the process runc started.</returns>
    public int Launch(ShimConfig config, string configPath, IReadOnlyList<int> inherited, string name, Action? beforeReady = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AtomicFile.Write(configPath, config);
        EngineTrace.Debug(() => $"{configPath}: {JsonFormatter.Default.Format(config)}");
        using var shim = StartInheriting(configPath, inherited);
        var stderr = shim.Stderr.ReadToEndAsync();
        string containerId = config.ContainerId;

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
                throw ConmanErrors.ShimTimeout("conman-shim did not report within 60 s.", containerId);
            }
            ready = read.Result;
        }
        catch (AggregateException e) when (e.InnerException is InvalidProtocolBufferException or IOException)
        {
            // It died (or was killed) before its report: a truncated or empty frame.
            shim.WaitForExit();
            throw ConmanErrors.ShimFailed($"conman-shim exited with code {shim.ExitCode} before reporting: {stderr.Result.Trim()}", containerId);
        }
        switch (ready.ResultCase)
        {
            case ShimReady.ResultOneofCase.ContainerPid:
                EngineTrace.Verbose($"conman-shim (pid {shim.Pid}) started the container's process (pid {ready.ContainerPid}) in {clock.ElapsedMilliseconds} ms");
                return ready.ContainerPid;
            case ShimReady.ResultOneofCase.Error:
                shim.WaitForExit();
                throw StartFailure.Of(ready.Error, name, exec: config.ExecProcess.Length > 0);
            default:
                shim.WaitForExit();
                throw ConmanErrors.ShimFailed($"conman-shim exited with code {shim.ExitCode} with an empty report: {stderr.Result.Trim()}", containerId);
        }
    }

    /// <summary>
    /// Starts the shim with the descriptors open to inheritance for as long as that takes: .NET's
    /// Process keeps to the descriptors' close-on-exec flag, and the engine's sockets have it.
    /// </summary>
    private HelperProcess StartInheriting(string configPath, IReadOnlyList<int> inherited)
    {
        lock (Inheritance)
        {
            foreach (int fd in inherited) Native.LibC.fcntl(fd, Native.LibC.F_SETFD, 0);
            try
            {
                return HelperProcess.Start(ShimPath, ["--config", configPath]);
            }
            finally
            {
                foreach (int fd in inherited) Native.LibC.fcntl(fd, Native.LibC.F_SETFD, Native.LibC.FD_CLOEXEC);
            }
        }
    }
}
