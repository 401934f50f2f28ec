using Conman.Engine.Resources;
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
    bool Tty,
    ContainerLimits Limits,
    Supervision.RestartPolicy RestartPolicy = Supervision.RestartPolicy.No,
    int MaximumRetryCount = 0,
    bool Init = false,
    Supervision.HealthCheckConfig? HealthCheck = null)
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
        definition.Tty,
        ContainerLimits.From(definition.Resources),
        Supervision.RestartPolicies.From(definition.RestartPolicy),
        definition.RestartPolicy?.MaximumRetryCount ?? 0,
        definition.Init,
        Supervision.HealthChecks.From(definition.HealthCheck));
}

/// <summary>A host path bound into the container (docker -v).</summary>
public sealed record VolumeBinding(string HostPath, string ContainerPath, bool ReadOnly)
{
    /// <summary>As Docker's -v writes it: "host:container[:ro]".</summary>
    public override string ToString() => $"{HostPath}:{ContainerPath}{(ReadOnly ? ":ro" : "")}";
}
