using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Engine.Images;

/// <summary>
/// What a container runs, from what the user gave and what the image config holds, with Docker's
/// rules: Entrypoint + Cmd; -Command replaces Cmd; -Entrypoint replaces Entrypoint and drops the
/// image's Cmd; the image's Env, WorkingDir, User and Labels are defaults the user's override.
/// </summary>
internal sealed record ImageDefaults(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory, string User, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>A folder root filesystem has no config: a shell, unless told otherwise.</summary>
    public static readonly IReadOnlyList<string> FolderCommand = ["/bin/sh"];

    public static ImageDefaults Resolve(ContainerOptions options, ImageConfig? image)
    {
        // A folder has no Entrypoint, and /bin/sh for its Cmd.
        IReadOnlyList<string> entrypoint = options.Entrypoint ?? image?.Entrypoint ?? [];
        IReadOnlyList<string> arguments = options.Command ?? (options.Entrypoint is not null ? [] : image?.Cmd ?? FolderCommand);
        List<string> command = [.. entrypoint, .. arguments];

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string variable in image?.Env ?? [])
        {
            int equals = variable.IndexOf('=');
            if (equals > 0) environment[variable[..equals]] = variable[(equals + 1)..];
        }
        foreach (var (key, value) in options.Environment) environment[key] = value;

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in image?.Labels ?? []) labels[key] = value;
        foreach (var (key, value) in options.Labels) labels[key] = value;

        return new ImageDefaults(command, environment,
            options.WorkingDirectory ?? (string.IsNullOrEmpty(image?.WorkingDir) ? "" : image.WorkingDir),
            options.User ?? image?.User ?? "", labels);
    }
}
