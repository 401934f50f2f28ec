using Conman.Engine.Logs;

namespace Conman;

/// <summary>One line from Get-ContainerLog. Its string form is the text, so it reads like output.</summary>
public sealed class ContainerLogEntry
{
    internal ContainerLogEntry(string containerName, LogEntry entry)
    {
        ContainerName = containerName;
        Timestamp = entry.Timestamp.LocalDateTime;
        Stream = entry.Stream;
        Text = entry.Text;
    }

    public string ContainerName { get; }
    public DateTime Timestamp { get; }
    public LogStream Stream { get; }
    public string Text { get; }

    public override string ToString() => Text;
}
