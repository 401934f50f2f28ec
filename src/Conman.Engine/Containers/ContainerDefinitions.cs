using Conman.Engine.Images;
using Conman.Engine.Logs;
using Conman.Engine.Resources;
using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Engine.Supervision;
using Conman.Engine.UserNamespaces;
using Conman.Engine.Volumes;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// The one place where what New-Container asks for becomes a container definition: the options
/// merged with the image's config (Docker's rules, <see cref="ImageDefaults"/>) and every value
/// checked, before anything is written. A start never validates again; it derives the OCI spec.
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
        var defaults = ImageDefaults.Resolve(options, image?.Config);
        if (defaults.Command.Count == 0 || string.IsNullOrEmpty(defaults.Command[0]))
        {
            throw image is null ? ConmanErrors.EmptyCommand(options.Name) : ConmanErrors.ImageHasNoCommand(ImageManager.DisplayName(image), options.Name);
        }
        // runc passes arguments and variables to execve as C strings: a NUL would end them early.
        if (defaults.Command.Any(a => a.Contains('\0'))) throw ConmanErrors.CommandHasNul(options.Name);
        ValidateEnvironment(defaults.Environment);
        var volumes = options.Volumes.Where(v => !VolumeArguments.IsStoreVolume(v)).Select(VolumeSpec.Parse).ToList();
        var storeVolumes = options.Volumes.Where(VolumeArguments.IsStoreVolume).Select(VolumeArguments.Parse).ToList();
        var tmpfs = options.Tmpfs.Select(TmpfsSpec.Parse).ToList();
        List<string> destinations = [.. volumes.Select(v => v.ContainerPath), .. storeVolumes.Select(v => v.ContainerPath), .. tmpfs.Select(t => t.ContainerPath)];
        VolumeSpec.ValidateDestinations(destinations);
        if (!options.WithoutImageVolumes) storeVolumes.AddRange(VolumeArguments.ForImage(image?.Config?.Volumes ?? [], destinations));
        var devices = options.Devices.SelectMany(DeviceSpec.Parse).ToList();
        var (uidMap, gidMap) = ResolveIdMaps(options);
        var security = SecurityOptionSpec.Parse(options.SecurityOptions);
        // Checked now against the image (or folder); resolved again at each start against the
        // container's own /etc/passwd, which the container may have changed.
        UserResolver.Resolve(defaults.User, root);
        if (options.Hostname is { } host && (host.Length > MaxHostnameLength || !ContainerName.IsValid(host))) throw ConmanErrors.InvalidHostname(host);
        ValidateWorkingDirectory(defaults.WorkingDirectory);
        var restartPolicy = RestartPolicies.Resolve(options.RestartPolicy, options.MaximumRetryCount);
        if (options.Init && InitBinary.Locate() is null) throw ConmanErrors.InitNotFound();
        var healthCheck = HealthChecks.Resolve(options, image?.Config?.Healthcheck);
        var resources = options.Resources.IsEmpty ? null : ResourceDefinitions.Resolve(options.Resources, capacity ?? HostCapacity.Current());
        var logRotation = LogRotations.Resolve(options.LogMaxSize, options.LogMaxFiles);

        var definition = new ContainerDefinition
        {
            RootFs = rootFs,
            WorkingDirectory = defaults.WorkingDirectory,
            User = defaults.User,
            Hostname = options.Hostname ?? "",
            ReadOnly = options.ReadOnly,
            Interactive = options.Interactive,
            Tty = options.Tty,
            Resources = resources,
            RestartPolicy = restartPolicy,
            Init = options.Init,
            HealthCheck = healthCheck,
            LogRotation = logRotation,
            AutoRemove = options.AutoRemove,
            RemoveWithSession = options.RemoveWithSession,
        };
        if (image is not null)
        {
            definition.Image = options.Image!;
            definition.ImageId = image.Id;
            definition.Snapshots.AddRange(image.Layers.Select(l => l.ChainId));
        }
        definition.Command.AddRange(defaults.Command);
        definition.Environment.Add(defaults.Environment.ToDictionary());
        definition.Labels.Add(defaults.Labels.ToDictionary());
        definition.Volumes.AddRange(volumes);
        Networks.NetworkDefinitions.Apply(definition, options, image?.Config.ExposedPorts ?? []);
        definition.Tmpfs.AddRange(tmpfs);
        definition.NamedVolumes.AddRange(storeVolumes);
        definition.Devices.AddRange(devices);
        definition.SeccompUnconfined = security.SeccompUnconfined;
        definition.SeccompProfile = security.SeccompProfile ?? "";
        // Docker's default is false; Conman's stays true unless -SecurityOpt no-new-privileges=false says otherwise.
        definition.AllowNewPrivileges = security.NoNewPrivileges == false;
        definition.CapAdd.AddRange(options.CapAdd.Select(Capabilities.Normalize).Distinct());
        definition.CapDrop.AddRange(options.CapDrop.Select(Capabilities.Normalize).Distinct());
        definition.Privileged = options.Privileged;
        definition.UidMappings.AddRange(uidMap);
        definition.GidMappings.AddRange(gidMap);
        // The ranges of -UserNs auto are chosen by the create, under the host's claims lock.
        definition.UserNamespaceAuto = UserNamespaceSpec.AutoSize(options.UserNamespace) is not null;
        return definition;
    }

    /// <summary>
    /// -UidMap and -GidMap as podman takes them: either alone serves for both; with -UserNs other
    /// than host they conflict, as podman says.
    /// </summary>
    private static (List<IdMapping> Uids, List<IdMapping> Gids) ResolveIdMaps(ContainerOptions options)
    {
        var uids = options.UidMap.Select(UserNamespaceSpec.ParseMapping).ToList();
        var gids = options.GidMap.Select(UserNamespaceSpec.ParseMapping).ToList();
        if (UserNamespaceSpec.AutoSize(options.UserNamespace) is not null && (uids.Count > 0 || gids.Count > 0))
        {
            throw ConmanErrors.InvalidUserNamespace(options.UserNamespace!, "-UserNs auto chooses the maps itself; give it or -UidMap/-GidMap, not both");
        }
        if (uids.Count == 0) uids = [.. gids.Select(m => m.Clone())];
        if (gids.Count == 0) gids = [.. uids.Select(m => m.Clone())];
        if (uids.Count == 0) return ([], []);
        UserNamespaceSpec.Validate(uids, "uid");
        UserNamespaceSpec.Validate(gids, "gid");
        return (uids, gids);
    }

    /// <summary>The kernel's limit for a UTS name (HOST_NAME_MAX); runc's sethostname fails beyond it.</summary>
    private const int MaxHostnameLength = 64;

    /// <summary>Environment variables, for a container's definition and an exec's extra variables.</summary>
    public static void ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (key, value) in environment)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0')) throw ConmanErrors.InvalidEnvironment(key);
            if (value.Contains('\0')) throw ConmanErrors.EnvironmentValueHasNul(key);
        }
    }

    public static void ValidateWorkingDirectory(string? workingDirectory)
    {
        if (string.IsNullOrEmpty(workingDirectory)) return;
        if (!workingDirectory.StartsWith('/') || workingDirectory.Contains('\0')) throw ConmanErrors.InvalidWorkingDirectory(workingDirectory);
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
