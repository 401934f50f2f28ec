namespace Conman.Engine.Logs;

public enum LogStream { Stdout, Stderr }

/// <summary>One line of container output, as the shim logged it.</summary>
public sealed record LogEntry(DateTimeOffset Timestamp, LogStream Stream, string Text)
{
    public override string ToString() => Text;
}
