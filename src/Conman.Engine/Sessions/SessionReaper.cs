using System.Globalization;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Sessions;

/// <summary>
/// One process per session and store that outlives the session to remove what it tied to itself,
/// as Testcontainers' reaper (Ryuk) does: conman-shim in its reaper mode, small and idle on a pidfd
/// of the session, which once the session ends (however: kill -9 included) runs the command the
/// engine was given, which removes the session's resources with the engine's own code
/// (<see cref="SessionService.RemoveEnded"/>). Started with the first resource tied to the session;
/// its pid and start time are kept in the run folder, so that a session starts one.
/// </summary>
internal sealed class SessionReaper(StoreLayout layout, Func<string> shimPath)
{
    private readonly Lock _starting = new();

    /// <summary>What the reaper runs once the session has ended (the module's: pwsh importing Conman); null: no reaper.</summary>
    public IReadOnlyList<string>? Command { get; set; }

    private string RecordPath(SessionId session) => Path.Combine(layout.RunFolder, "reapers", $"{session.Pid}-{session.StartTime}");

    /// <summary>Starts this session's reaper unless one runs already.</summary>
    public void EnsureRunning()
    {
        if (Command is not { Count: > 0 } command) return;
        var session = SessionId.Current;
        string record = RecordPath(session);
        lock (_starting)
        {
            if (SessionId.Parse(ReadOrNull(record)) is { HasEnded: false }) return;
            Directory.CreateDirectory(Path.GetDirectoryName(record)!);
            using var reaper = HelperProcess.Start(shimPath(),
                ["--reap", session.Pid.ToString(CultureInfo.InvariantCulture), session.StartTime.ToString(CultureInfo.InvariantCulture), .. command],
                environment: new Dictionary<string, string> { ["CONMAN_ROOT"] = layout.Root });
            // It reports itself once it has left this session (a line: its pid and start time).
            string reported = reaper.Stdout.ReadLine() ?? "";
            if (SessionId.Parse(reported) is { } started) AtomicFile.Write(record, System.Text.Encoding.ASCII.GetBytes(started.ToString()));
            else EngineTrace.Verbose($"The session reaper did not start: {reaper.Stderr.ReadToEnd().Trim()}");
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
