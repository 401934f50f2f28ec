namespace Conman.Engine.Containers;

/// <summary>What New-Container asks for. Validated by the engine before anything is written.</summary>
public sealed class ContainerOptions
{
    /// <summary>A folder to use as the root filesystem; or else <see cref="Image"/>.</summary>
    public string? RootFs { get; init; }
    /// <summary>An image in the store, by name or id, whose layers make the root filesystem.</summary>
    public string? Image { get; init; }
    /// <summary>Without its leading slash, if it has one: Docker shows names as "/web" and takes them so.</summary>
    public string? Name { get => _name; init => _name = ContainerName.WithoutLeadingSlash(value); }
    private readonly string? _name;
    /// <summary>The arguments; null takes the image's Cmd (or /bin/sh for a folder).</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>Replaces the image's Entrypoint (and, as in Docker, drops its Cmd when no command is given).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
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
    /// <summary>Its shim removes it once it has exited (docker run --rm).</summary>
    public bool AutoRemove { get; init; }
    /// <summary>Its shim kills and removes it when the session (process) that started it ends.</summary>
    public bool RemoveWithSession { get; init; }
}
