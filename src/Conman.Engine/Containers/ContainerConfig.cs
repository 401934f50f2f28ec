using Conman.Engine.Definitions;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// What a container was made to run (docker inspect's Config and HostConfig), read-only: its
/// stored definition, group by group, as the cmdlets and their output objects see it, without the
/// generated protobuf record. The groups are the ones <see cref="ContainerOptions"/> asks in.
/// </summary>
/// <param name="RootFs">The folder given as its root filesystem; empty for an image's.</param>
/// <param name="Image">The image as the user named it; empty for a folder.</param>
/// <param name="HealthCheck">Null without a health check.</param>
public sealed record ContainerConfig(string RootFs, string Image, string ImageId, ProcessConfig Process, StorageConfig Storage,
    SecurityConfig Security, NetworkConfig Network, ContainerLimits Limits, HealthCheckConfig? HealthCheck, LifetimeConfig Lifetime, LogConfig Logging)
{
    internal static ContainerConfig From(ContainerDefinition definition) => new(definition.RootFs, definition.Image, definition.ImageId,
        ProcessConfig.From(definition.Process), StorageConfig.From(definition.Storage), SecurityConfig.From(definition.Security),
        NetworkConfig.From(definition.Network), ContainerLimits.From(definition.Resources), HealthCheckConfig.From(definition.HealthCheck),
        LifetimeConfig.From(definition.Lifetime), LogConfig.From(definition.LogRotation));
}
