using Conman.Engine.Definitions;
using Conman.Engine.Images;
using Conman.Engine.Resources;
using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// The one place where what New-Container asks for becomes a container definition: each group of
/// settings resolved by its own record (<see cref="ProcessConfig"/>, <see cref="StorageConfig"/>...,
/// with the image's config by Docker's rules), then what concerns two groups at once checked,
/// before anything is written. A start never validates again; it derives the OCI spec.
/// </summary>
internal static class ContainerDefinitions
{
    /// <param name="image">The image the options name, already found in the store; null for a folder.</param>
    /// <param name="imageTrees">The image's unpacked layers, the topmost first (read only for a user name).</param>
    /// <param name="capacity">What the limits are checked against; this host's when null.</param>
    public static ContainerDefinition Resolve(ContainerOptions options, ImageRecord? image, Func<IReadOnlyList<string>> imageTrees,
        HostCapacity? capacity = null)
    {
        string rootFs = options.RootFs is { } folder ? ValidateRootFs(folder) : "";
        var root = new RootFsView(image is null ? [rootFs] : imageTrees());
        if (options.Name is not null) ContainerName.Validate(options.Name);
        var definition = new ContainerDefinition
        {
            RootFs = rootFs,
            Process = ProcessConfig.Resolve(options.Process, image?.Config, root, image is null ? null : ImageManager.DisplayName(image), options.Name),
            Storage = StorageConfig.Resolve(options.Storage, options.WithoutImageVolumes ? [] : image?.Config?.Volumes.ToList() ?? []),
            Security = SecurityConfig.Resolve(options.Security),
            Network = NetworkConfig.Resolve(options.Network, image?.Config.ExposedPorts.ToList() ?? []),
            Resources = ContainerLimits.Resolve(options.Limits, capacity ?? HostCapacity.Current()),
            HealthCheck = HealthCheckConfig.Resolve(options.HealthCheck, image?.Config?.Healthcheck),
            Lifetime = LifetimeConfig.Resolve(options.Lifetime, image?.Config?.StopSignal ?? ""),
            LogRotation = LogConfig.Resolve(options.Logging),
        };
        if (image is not null)
        {
            definition.Image = options.Image!;
            definition.ImageId = image.Id;
            definition.Snapshots.AddRange(image.Layers.Select(l => l.ChainId));
        }
        CheckAcrossGroups(definition, options);
        return definition;
    }

    /// <summary>
    /// On another container's network (-Network container:&lt;name&gt;), the hostname and /etc files are
    /// that container's, and so is the user namespace its network namespace belongs to: what would
    /// set them here is refused, as Docker refuses it.
    /// </summary>
    private static void CheckAcrossGroups(ContainerDefinition definition, ContainerOptions options)
    {
        if (definition.Network.Mode != NetworkMode.Container) return;
        string mode = NetworkConfig.ContainerModePrefix + definition.Network.Container;
        if (options.Process.Hostname is not null) throw ConmanErrors.InvalidNetworkMode(mode, "its hostname is that of the container whose network it joins");
        if (definition.Security.UidMappings.Count > 0 || definition.Security.UserNamespaceAuto)
        {
            throw ConmanErrors.InvalidNetworkMode(mode, "a container joining another's network cannot have a user namespace of its own");
        }
    }

    /// <summary>
    /// The store's root holds every container's upper and work folders and the image snapshots,
    /// which become overlay options: a root whose path overlayfs cannot split is refused at
    /// create, not at the first start.
    /// </summary>
    public static void ValidateStoreRoot(string root)
    {
        if (!RootFsOverlay.IsUsableLayerPath(root)) throw ConmanErrors.UnusableStoreRoot(root);
    }

    private static string ValidateRootFs(string rootFs)
    {
        if (rootFs.Contains('\0')) throw ConmanErrors.InvalidHostPath("The root filesystem folder", rootFs);
        string full = Path.GetFullPath(rootFs);
        if (!Directory.Exists(full)) throw ConmanErrors.RootFsNotFound(rootFs);
        if (!RootFsOverlay.IsUsableLayerPath(full)) throw ConmanErrors.InvalidRootFsPath(rootFs);
        return full;
    }
}
