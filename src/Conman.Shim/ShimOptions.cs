using Conman.Protocol;

namespace Conman.Shim;

/// <summary>The shim's command line, as the engine writes it (one option, one value).</summary>
internal sealed class ShimOptions
{
    public required string ContainerId { get; init; }
    public required string Bundle { get; init; }
    public required string Runtime { get; init; }
    public required string RuntimeRoot { get; init; }
    public required string LogPath { get; init; }
    /// <summary>The log's bound (--log-max-size bytes, --log-max-files): rotated past the size, that many files kept; null for none.</summary>
    public (long MaxSizeBytes, int MaxFiles)? LogBound { get; init; }
    public required string ExitPath { get; init; }
    /// <summary>Space set aside while the process runs, for its exit record: the log shares its file system.</summary>
    public string ExitReservePath => ExitPath + ".reserve";
    public required string SocketPath { get; init; }
    /// <summary>Where the shim records the run (run.pb): its own identity, then the started container. None for an exec.</summary>
    public string? RunPath { get; init; }
    /// <summary>What to undo on the host once the container has exited (teardown.pb); none for an exec.</summary>
    public string? TeardownPath { get; init; }
    /// <summary>
    /// Forget the stopped container with `runc delete` rather than by hand: its spec has what only
    /// runc does at delete (poststop hooks, a pid namespace shared with other processes).
    /// </summary>
    public bool DeleteWithRuntime { get; init; }
    /// <summary>The index of the containers on this one's network namespace, stopped before it goes (DependentContainers).</summary>
    public string? DependentsFolder { get; init; }
    /// <summary>The published host ports to hold while the container runs ("tcp:0.0.0.0:8080").</summary>
    public IReadOnlyList<string> HoldPorts { get; init; } = [];
    /// <summary>Keep the container's stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>The container has a pseudo-terminal; runc hands its master over the console socket.</summary>
    public bool Tty { get; init; }
    public string ConsoleSocketPath => SocketPath + ".console";
    /// <summary>For an exec: the OCI process spec to run in the running container.</summary>
    public string? ExecProcess { get; init; }
    /// <summary>
    /// Wait for the first client to attach before runc starts anything, so that it misses none of
    /// the output (--await-client, the engine's choice for an attached start; always for an exec).
    /// </summary>
    public bool AwaitsFirstClient { get; init; }
    /// <summary>When to run the container again after it exits (--restart, Docker's syntax); "no" for an exec.</summary>
    public RestartRule Restart { get; init; }
    /// <summary>The container's health check (--health-process and the other --health-* options); null without one.</summary>
    public HealthCheckOptions? Health { get; init; }
    /// <summary>Remove the container once it has exited (see ContainerRemoval); null to keep it.</summary>
    public RemovalPlan? RemoveAtExit { get; init; }
    /// <summary>The session the container is tied to (pid, start time): killed when it ends.</summary>
    public (int Pid, ulong StartTime)? Session { get; init; }
    /// <summary>Where runc's pid file and log go: the bundle, or the exec's own folder.</summary>
    public string StateFolder => ExecProcess is null ? Bundle : Path.GetDirectoryName(ExecProcess)!;

    public static ShimOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool interactive = false, tty = false, awaitClient = false, deleteWithRuntime = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--interactive") { interactive = true; continue; }
            if (args[i] == "--tty") { tty = true; continue; }
            if (args[i] == "--await-client") { awaitClient = true; continue; }
            if (args[i] == "--delete-with-runtime") { deleteWithRuntime = true; continue; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = args[++i];
        }
        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"Missing --{name}.");
        return new ShimOptions
        {
            ContainerId = Get("id"),
            Bundle = Get("bundle"),
            Runtime = Get("runtime"),
            RuntimeRoot = Get("runtime-root"),
            LogPath = Get("log"),
            LogBound = values.TryGetValue("log-max-size", out string? logMaxSize) ? (Bytes(logMaxSize), Count(Get("log-max-files"))) : null,
            ExitPath = Get("exit-file"),
            SocketPath = Get("socket"),
            RunPath = values.GetValueOrDefault("run-file"),
            TeardownPath = values.GetValueOrDefault("teardown"),
            DependentsFolder = values.GetValueOrDefault("dependents"),
            DeleteWithRuntime = deleteWithRuntime,
            HoldPorts = values.TryGetValue("hold-ports", out var ports) ? ports.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            Interactive = interactive,
            Tty = tty,
            ExecProcess = values.GetValueOrDefault("exec-process"),
            AwaitsFirstClient = awaitClient || values.ContainsKey("exec-process"),
            Restart = values.TryGetValue("restart", out string? restart) ? RestartRule.Parse(restart) : default,
            Health = values.TryGetValue("health-process", out string? healthProcess) ? new HealthCheckOptions(healthProcess, Get("health-file"),
                Milliseconds(Get("health-interval")), Milliseconds(Get("health-timeout")), Milliseconds(Get("health-start-period")),
                Count(Get("health-retries")), Get("health-on-failure") switch
                {
                    "kill" => HealthFailureAction.Kill,
                    "restart" => HealthFailureAction.Restart,
                    "none" => HealthFailureAction.None,
                    var other => throw new ArgumentException($"Unknown --health-on-failure '{other}'."),
                }) : null,
            RemoveAtExit = values.TryGetValue("remove-at-exit", out string? lockPath)
                ? new RemovalPlan(lockPath, Get("record"), Get("removing-marker"), values.TryGetValue("anonymous-volumes", out string? volumes)
                    ? new VolumeRemoval(Get("volumes-folder"), Get("volumes-lock"), volumes.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    : null, values.GetValueOrDefault("id-range-claim"))
                : null,
            Session = values.TryGetValue("session-pid", out string? sessionPid)
                ? (int.Parse(sessionPid, System.Globalization.CultureInfo.InvariantCulture),
                    ulong.Parse(Get("session-start"), System.Globalization.CultureInfo.InvariantCulture))
                : null,
        };
    }

    private static TimeSpan Milliseconds(string text) =>
        uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint ms)
            ? TimeSpan.FromMilliseconds(ms)
            : throw new ArgumentException($"'{text}' is not a number of milliseconds.");

    private static long Bytes(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long bytes) && bytes > 0
            ? bytes
            : throw new ArgumentException($"'{text}' is not a number of bytes.");

    private static int Count(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : throw new ArgumentException($"'{text}' is not a count.");
}

/// <summary>
/// The container's lock, record and Removing marker, as the engine's store lays them out; its
/// anonymous volumes, to remove with it; with a user namespace, its claim on host ids, to give back.
/// </summary>
internal sealed record RemovalPlan(string LockPath, string RecordPath, string RemovingMarkerPath, VolumeRemoval? AnonymousVolumes = null,
    string? IdRangeClaim = null);

/// <summary>The store's volumes folder and lock, and the names of the volumes to remove (docker run --rm's anonymous volumes).</summary>
internal sealed record VolumeRemoval(string VolumesFolder, string VolumesLock, IReadOnlyList<string> Names);
