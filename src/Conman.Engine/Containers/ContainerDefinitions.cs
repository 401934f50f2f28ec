using Conman.Engine.Images;
using Conman.Engine.Runtime;
using Conman.Engine.Spec;
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
    public static ContainerDefinition Resolve(ContainerOptions options, ImageRecord? image, Func<IReadOnlyList<string>> imageTrees)
    {
        string rootFs = options.RootFs is { } folder ? ValidateRootFs(folder) : "";
        var root = new RootFsView(image is null ? [rootFs] : imageTrees());
        if (options.Name is not null) ContainerName.Validate(options.Name);
        var defaults = ImageDefaults.Resolve(options, image?.Config);
        if (defaults.Command.Count == 0 || string.IsNullOrEmpty(defaults.Command[0]))
        {
            throw image is null ? ConmanErrors.EmptyCommand(options.Name) : ConmanErrors.ImageHasNoCommand(ImageManager.DisplayName(image), options.Name);
        }
        ValidateEnvironment(defaults.Environment);
        var volumes = options.Volumes.Select(VolumeSpec.Parse).ToList();
        // Checked now against the image (or folder); resolved again at each start against the
        // container's own /etc/passwd, which the container may have changed.
        UserResolver.Resolve(defaults.User, root);
        if (options.Hostname is { } host && !ContainerName.IsValid(host)) throw ConmanErrors.InvalidHostname(host);
        ValidateWorkingDirectory(defaults.WorkingDirectory);

        var definition = new ContainerDefinition
        {
            RootFs = rootFs,
            WorkingDirectory = defaults.WorkingDirectory,
            User = defaults.User,
            Hostname = options.Hostname ?? "",
            ReadOnly = options.ReadOnly,
            Interactive = options.Interactive,
            Tty = options.Tty,
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
        return definition;
    }

    /// <summary>Environment variable names, for a container's definition and an exec's extra variables.</summary>
    public static void ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (string key in environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0')) throw ConmanErrors.InvalidEnvironment(key);
        }
    }

    public static void ValidateWorkingDirectory(string? workingDirectory)
    {
        if (!string.IsNullOrEmpty(workingDirectory) && !workingDirectory.StartsWith('/')) throw ConmanErrors.InvalidWorkingDirectory(workingDirectory);
    }

    private static string ValidateRootFs(string rootFs)
    {
        string full = Path.GetFullPath(rootFs);
        if (!Directory.Exists(full)) throw ConmanErrors.RootFsNotFound(rootFs);
        if (!RootFsOverlay.IsUsableLayerPath(full)) throw ConmanErrors.InvalidRootFsPath(rootFs);
        return full;
    }
}
