using Conman.Engine.Containers;

namespace Conman;

/// <summary>A container as the cmdlets return it: a snapshot, read-only.</summary>
public sealed class Container
{
    internal Container(ContainerSnapshot snapshot)
    {
        var config = snapshot.Config;
        Id = snapshot.Id;
        Name = snapshot.Name;
        RootFs = config.RootFs;
        Image = config.Image;
        ImageId = config.ImageId;
        Command = config.Command.ToArray();
        State = snapshot.State;
        StateReason = snapshot.StateReason;
        ExitCode = snapshot.ExitCode;
        Signal = snapshot.Signal;
        StopRequested = snapshot.StopRequested;
        Pid = snapshot.Pid;
        CreatedAt = snapshot.CreatedAt.LocalDateTime;
        // A run that failed before the container ran never started.
        StartedAt = snapshot.StartedAt?.LocalDateTime;
        FinishedAt = snapshot.FinishedAt?.LocalDateTime;
        Labels = config.Labels;
        Environment = config.Environment;
        Hostname = config.Hostname;
        User = config.User;
        WorkingDirectory = config.WorkingDirectory;
        Volumes = config.Volumes.Select(v => v.ToString()).ToArray();
        ReadOnly = config.ReadOnly;
        Interactive = config.Interactive;
        Tty = config.Tty;
        AutoRemove = config.AutoRemove;
        RemoveWithSession = config.RemoveWithSession;
        LogPath = snapshot.LogPath;
        LostLogBytes = snapshot.LostLogBytes;
    }

    public string Id { get; }
    public string ShortId => Id[..12];
    public string Name { get; }
    /// <summary>The folder the container was made from; empty when it was made from an image.</summary>
    public string RootFs { get; }
    /// <summary>The image as the user named it; empty for a folder.</summary>
    public string Image { get; }
    public string ImageId { get; }
    public string[] Command { get; }
    public ContainerState State { get; }
    /// <summary>Why the state is Unknown; null otherwise.</summary>
    public string? StateReason { get; }
    public int? ExitCode { get; }
    /// <summary>The signal that killed the process, when one did.</summary>
    public int? Signal { get; }
    /// <summary>The last run ended after a stop asked for through Conman (Stop-Container, Remove-Container -Force), not by itself.</summary>
    public bool StopRequested { get; }
    public int? Pid { get; }
    public DateTime CreatedAt { get; }
    public DateTime? StartedAt { get; }
    public DateTime? FinishedAt { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }
    public string Hostname { get; }
    public string User { get; }
    public string WorkingDirectory { get; }
    public string[] Volumes { get; }
    public bool ReadOnly { get; }
    public bool Interactive { get; }
    public bool Tty { get; }
    public bool AutoRemove { get; }
    public bool RemoveWithSession { get; }
    public string LogPath { get; }
    /// <summary>Output the log could not take (its file system was full); 0 when it has it all.</summary>
    public ulong LostLogBytes { get; }

    /// <summary>Docker's status column: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created".</summary>
    public string Status => State switch
    {
        ContainerState.Running when StartedAt is { } started => $"Up {Ago.Describe(DateTime.Now - started)}",
        ContainerState.Exited when FinishedAt is { } finished => $"Exited ({ExitCode}) {Ago.Describe(DateTime.Now - finished)} ago",
        ContainerState.Unknown => $"Unknown: {StateReason}",
        ContainerState.Removing => "Removing",
        _ => State.ToString(),
    };

    public override string ToString() => Name;
}

/// <summary>Durations as Docker words them: "Less than a second", "5 seconds", "2 minutes", "3 hours".</summary>
internal static class Ago
{
    public static string Describe(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1)) return "Less than a second";
        if (span < TimeSpan.FromMinutes(1)) return Plural((int)span.TotalSeconds, "second");
        if (span < TimeSpan.FromHours(1)) return Plural((int)span.TotalMinutes, "minute");
        if (span < TimeSpan.FromDays(2)) return Plural((int)span.TotalHours, "hour");
        return Plural((int)span.TotalDays, "day");
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
