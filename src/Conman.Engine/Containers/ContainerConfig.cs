using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// What a container was made to run (docker inspect's Config), read-only: the stored definition
/// as the cmdlets and their output objects see it, without the generated protobuf record.
/// </summary>
public sealed record ContainerConfig(
    string RootFs,
    string Image,
    string ImageId,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string User,
    string Hostname,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<VolumeBinding> Volumes,
    bool ReadOnly,
    bool Interactive,
    bool Tty)
{
    internal static ContainerConfig From(ContainerDefinition definition) => new(
        definition.RootFs,
        definition.Image,
        definition.ImageId,
        definition.Command.ToArray(),
        new Dictionary<string, string>(definition.Environment),
        definition.WorkingDirectory,
        definition.User,
        definition.Hostname,
        new Dictionary<string, string>(definition.Labels),
        definition.Volumes.Select(v => new VolumeBinding(v.HostPath, v.ContainerPath, v.ReadOnly)).ToArray(),
        definition.ReadOnly,
        definition.Interactive,
        definition.Tty)
    {
        AutoRemove = definition.AutoRemove,
        RemoveWithSession = definition.RemoveWithSession,
    };

    /// <summary>Removed by its shim once it has exited (docker run --rm).</summary>
    public bool AutoRemove { get; init; }

    /// <summary>Killed and removed by its shim when the session that started it ends.</summary>
    public bool RemoveWithSession { get; init; }
}

/// <summary>A host path bound into the container (docker -v).</summary>
public sealed record VolumeBinding(string HostPath, string ContainerPath, bool ReadOnly)
{
    /// <summary>As Docker's -v writes it: "host:container[:ro]".</summary>
    public override string ToString() => $"{HostPath}:{ContainerPath}{(ReadOnly ? ":ro" : "")}";
}
