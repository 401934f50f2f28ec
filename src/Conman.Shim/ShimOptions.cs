namespace Conman.Shim;

/// <summary>The shim's command line, as the engine writes it (one option, one value).</summary>
internal sealed class ShimOptions
{
    public required string ContainerId { get; init; }
    public required string Bundle { get; init; }
    public required string Runtime { get; init; }
    public required string RuntimeRoot { get; init; }
    public required string LogPath { get; init; }
    public required string ExitPath { get; init; }
    /// <summary>Space set aside while the process runs, for its exit record: the log shares its file system.</summary>
    public string ExitReservePath => ExitPath + ".reserve";
    public required string SocketPath { get; init; }
    /// <summary>Keep the container's stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>The container has a pseudo-terminal; runc hands its master over the console socket.</summary>
    public bool Tty { get; init; }
    /// <summary>The terminal's size before the process runs (rows, columns), when known.</summary>
    public (ushort Rows, ushort Columns)? InitialSize { get; init; }
    public string ConsoleSocketPath => SocketPath + ".console";
    /// <summary>
    /// For an exec: the OCI process spec to run in the running container. The process starts only
    /// once its first client has attached, so none of its output is missed.
    /// </summary>
    public string? ExecProcess { get; init; }
    /// <summary>
    /// Start the container at once ("runc run --detach") instead of leaving it created for the
    /// engine's "runc start": one runc process fewer, for starts that attach no client.
    /// </summary>
    public bool StartImmediately { get; init; }
    /// <summary>Where runc's pid file and log go: the bundle, or the exec's own folder.</summary>
    public string StateFolder => ExecProcess is null ? Bundle : Path.GetDirectoryName(ExecProcess)!;

    /// <summary>"ROWSxCOLUMNS", as the engine writes --size.</summary>
    private static (ushort, ushort) ParseSize(string text)
    {
        string[] parts = text.Split('x');
        if (parts.Length == 2 && ushort.TryParse(parts[0], out ushort rows) && ushort.TryParse(parts[1], out ushort columns)) return (rows, columns);
        throw new ArgumentException($"Invalid --size '{text}'.");
    }

    public static ShimOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool interactive = false, tty = false, start = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--interactive") { interactive = true; continue; }
            if (args[i] == "--tty") { tty = true; continue; }
            if (args[i] == "--start") { start = true; continue; }
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
            ExitPath = Get("exit-file"),
            SocketPath = Get("socket"),
            Interactive = interactive,
            Tty = tty,
            StartImmediately = start,
            InitialSize = values.TryGetValue("size", out var size) ? ParseSize(size) : null,
            ExecProcess = values.GetValueOrDefault("exec-process"),
        };
    }
}
