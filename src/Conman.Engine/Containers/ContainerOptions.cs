namespace Conman.Engine.Containers;

/// <summary>What New-Container asks for. Validated by the engine before anything is written.</summary>
public sealed class ContainerOptions
{
    public required string RootFs { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string> Command { get; init; } = ["/bin/sh"];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public bool ReadOnly { get; init; }
    /// <summary>Keep stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>Give the container a pseudo-terminal (docker -t).</summary>
    public bool Tty { get; init; }
}
