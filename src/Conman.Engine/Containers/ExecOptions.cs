namespace Conman.Engine.Containers;

/// <summary>A process to run in a running container (docker exec).</summary>
public sealed class ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }
    public bool Interactive { get; init; }
    public bool Tty { get; init; }
    /// <summary>Default: the container's own user.</summary>
    public string? User { get; init; }
    /// <summary>Added to (and overriding) the container's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    /// <summary>Default: the container's working directory.</summary>
    public string? WorkingDirectory { get; init; }
    public (ushort Rows, ushort Columns)? TerminalSize { get; init; }
}
