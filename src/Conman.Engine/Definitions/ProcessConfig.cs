using Conman.Engine.Images;
using Conman.Engine.Spec;
using Conman.Engine.Supervision;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// What runs in the container, as whom, and how it talks (docker run's command, --entrypoint,
/// -e, -w, -u, -h, -l, -i, -t, --init): what New-Container asks for and, once merged
/// with the image's config by Docker's rules and checked, what the container shows.
/// </summary>
public sealed record ProcessConfig
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>A folder root filesystem has no config: a shell, unless told otherwise.</summary>
    internal static readonly IReadOnlyList<string> FolderCommand = ["/bin/sh"];

    /// <summary>Asked: the arguments (null takes the image's Cmd, or /bin/sh for a folder). Shown: what runs, its entrypoint included.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>Asked only: replaces the image's Entrypoint and, as in Docker, drops its Cmd when no command is given.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    /// <summary>Over the image's Env.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = None;
    public string? WorkingDirectory { get; init; }
    /// <summary>"uid[:gid]" or "name[:group]", resolved at each start against the container's own /etc/passwd.</summary>
    public string? User { get; init; }
    public string? Hostname { get; init; }
    /// <summary>Over the image's Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = None;
    /// <summary>Keep stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>A pseudo-terminal (docker -t).</summary>
    public bool Tty { get; init; }
    /// <summary>A minimal init as pid 1 that forwards signals and reaps zombies (docker --init).</summary>
    public bool Init { get; init; }
    /// <summary>More groups for the process (docker --group-add): group names of the container's /etc/group, or numbers.</summary>
    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    /// <summary>The kernel's limit for a UTS name (HOST_NAME_MAX); runc's sethostname fails beyond it.</summary>
    private const int MaxHostnameLength = 64;

    /// <param name="root">The root filesystem as the container will see it: the user and groups must be found there now.</param>
    internal static ProcessDefinition Resolve(ProcessConfig asked, ImageConfig? image, RootFsView root, string? imageName, string? containerName)
    {
        // Docker's rules: Entrypoint + Cmd; -Command replaces Cmd; -Entrypoint replaces Entrypoint and drops the image's Cmd.
        IReadOnlyList<string> entrypoint = asked.Entrypoint ?? image?.Entrypoint ?? [];
        IReadOnlyList<string> arguments = asked.Command ?? (asked.Entrypoint is not null ? [] : image?.Cmd ?? FolderCommand);
        List<string> command = [.. entrypoint, .. arguments];
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            throw imageName is null ? ConmanErrors.EmptyCommand(containerName) : ConmanErrors.ImageHasNoCommand(imageName, containerName);
        }
        // runc passes arguments and variables to execve as C strings: a NUL would end them early.
        if (command.Any(a => a.Contains('\0'))) throw ConmanErrors.CommandHasNul(containerName);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string variable in image?.Env ?? [])
        {
            int equals = variable.IndexOf('=');
            if (equals > 0) environment[variable[..equals]] = variable[(equals + 1)..];
        }
        foreach (var (key, value) in asked.Environment) environment[key] = value;
        ValidateEnvironment(environment);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in image?.Labels ?? []) labels[key] = value;
        foreach (var (key, value) in asked.Labels) labels[key] = value;

        string user = asked.User ?? image?.User ?? "";
        if (asked.Hostname is { } host && (host.Length > MaxHostnameLength || !Containers.ContainerName.IsValid(host))) throw ConmanErrors.InvalidHostname(host);
        string workingDirectory = asked.WorkingDirectory ?? (string.IsNullOrEmpty(image?.WorkingDir) ? "" : image.WorkingDir);
        ValidateWorkingDirectory(workingDirectory);
        if (asked.Init && InitBinary.Locate() is null) throw ConmanErrors.InitNotFound();

        var process = new ProcessDefinition
        {
            WorkingDirectory = workingDirectory, User = user, Hostname = asked.Hostname ?? "", Interactive = asked.Interactive, Tty = asked.Tty, Init = asked.Init,
        };
        process.Command.AddRange(command);
        process.Environment.Add(environment);
        process.Labels.Add(labels);
        process.GroupAdd.AddRange(asked.GroupAdd);
        // Checked now against the image (or folder); resolved again at each start against the
        // container's own /etc/passwd and /etc/group, which the container may have changed.
        UserResolver.Resolve(process, root);
        return process;
    }

    internal static ProcessConfig From(ProcessDefinition? process) => process is null ? new() : new()
    {
        Command = [.. process.Command],
        Environment = new Dictionary<string, string>(process.Environment),
        WorkingDirectory = process.WorkingDirectory,
        User = process.User,
        Hostname = process.Hostname,
        Labels = new Dictionary<string, string>(process.Labels),
        Interactive = process.Interactive,
        Tty = process.Tty,
        Init = process.Init,
        GroupAdd = [.. process.GroupAdd],
    };

    /// <summary>Environment variables, for a container's definition and an exec's extra variables.</summary>
    internal static void ValidateEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (key, value) in environment)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0')) throw ConmanErrors.InvalidEnvironment(key);
            if (value.Contains('\0')) throw ConmanErrors.EnvironmentValueHasNul(key);
        }
    }

    internal static void ValidateWorkingDirectory(string? workingDirectory)
    {
        if (string.IsNullOrEmpty(workingDirectory)) return;
        if (!workingDirectory.StartsWith('/') || workingDirectory.Contains('\0')) throw ConmanErrors.InvalidWorkingDirectory(workingDirectory);
    }

    /// <summary>What runs, as whom, where (config.json's process, hostname and /dev/init).</summary>
    /// <param name="user">The user (and groups) resolved in the container's root filesystem at this start.</param>
    /// <param name="initBinary">The host's init binary, for a process run under -Init.</param>
    internal static IEnumerable<SpecOption> SpecOptions(ProcessDefinition process, UserResolver.ContainerUser user, (ushort Rows, ushort Columns)? terminalSize,
        string? initBinary)
    {
        yield return Spec.SpecOptions.WithHostname(process.Hostname);
        yield return Spec.SpecOptions.WithUser(user);
        if (process.Tty) yield return Spec.SpecOptions.WithTerminal(terminalSize);
        yield return Spec.SpecOptions.WithEnvironment(process.Environment);
        yield return Spec.SpecOptions.WithArgs(process.Command);
        if (process.Init) yield return Spec.SpecOptions.WithInit(initBinary ?? throw ConmanErrors.InitNotFound());
        yield return Spec.SpecOptions.WithWorkingDirectory(process.WorkingDirectory);
    }
}
