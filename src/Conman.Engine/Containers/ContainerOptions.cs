using Conman.Engine.Definitions;

namespace Conman.Engine.Containers;

/// <summary>
/// What New-Container asks for: the root filesystem and the name, then one group of settings per
/// concern (podman's SpecGenerator), each as Docker's flags take it. Validated by the engine before
/// anything is written; what the container shows afterwards is <see cref="ContainerConfig"/>, in
/// the same groups.
/// </summary>
public sealed class ContainerOptions
{
    /// <summary>A folder to use as the root filesystem; or else <see cref="Image"/>.</summary>
    public string? RootFs { get; init; }
    /// <summary>An image in the store, by name or id, whose layers make the root filesystem.</summary>
    public string? Image { get; init; }
    /// <summary>Without its leading slash, if it has one: Docker shows names as "/web" and takes them so.</summary>
    public string? Name { get => _name; init => _name = ContainerName.WithoutLeadingSlash(value); }
    private readonly string? _name;
    public ProcessConfig Process { get; init; } = new();
    public StorageConfig Storage { get; init; } = new();
    public SecurityConfig Security { get; init; } = new();
    public NetworkConfig Network { get; init; } = new();
    public ContainerLimits Limits { get; init; } = ContainerLimits.None;
    public HealthCheckConfig HealthCheck { get; init; } = new();
    public LifetimeConfig Lifetime { get; init; } = new();
    public LogConfig Logging { get; init; } = new();
    /// <summary>
    /// No anonymous volumes for the image's VOLUME entries: a build step's container, whose writes
    /// there belong in the layer it makes (as BuildKit and buildah keep them), and which leaves no volume behind.
    /// </summary>
    internal bool WithoutImageVolumes { get; init; }
}
