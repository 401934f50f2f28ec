using Conman.Engine.Definitions;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Which spec options make a container's config.json, in order, from its definition and what
/// the start knows (the user resolved in its root filesystem, a client terminal's size); the
/// host resources the start acquired add theirs after these (IHostResource.SpecOptions).
/// Derived at every start: a changed definition needs no patching of an old spec.
/// </summary>
internal static class ContainerSpec
{
    /// <param name="initBinary">The host's init binary, for a definition with Init.</param>
    /// <param name="volumeData">The data folder of a store volume, by name, for a definition with volumes.</param>
    public static IEnumerable<SpecOption> Options(string containerId, ContainerDefinition definition, UserResolver.ContainerUser user,
        (ushort Rows, ushort Columns)? terminalSize, (ulong Soft, ulong Hard) fileLimit, string? initBinary = null,
        Func<string, string>? volumeData = null) =>
    [
        SpecOptions.DockerDefaults(containerId, fileLimit),
        // One group per concern of the definition, each from its Definitions/ file. The order
        // matters where two touch the same thing: -Privileged's host devices come before -Device's.
        .. NetworkConfig.SpecOptions(definition.Network),
        .. ProcessConfig.SpecOptions(definition.Process, user, terminalSize, initBinary),
        .. SecurityConfig.SpecOptions(definition.Security),
        .. StorageConfig.SpecOptions(definition.Storage, volumeData ?? (_ => throw new InvalidOperationException("A definition with store volumes needs their folders."))),
        .. ContainerLimits.SpecOptions(definition.Resources),
    ];

    /// <summary>The process of an exec into a running container: the container's own, with the exec's changes.</summary>
    public static IEnumerable<SpecOption> ExecOptions(string containerId, ContainerDefinition definition, UserResolver.ContainerUser user,
        IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string workingDirectory, bool tty,
        (ushort Rows, ushort Columns)? terminalSize, (ulong Soft, ulong Hard) fileLimit)
    {
        yield return SpecOptions.DockerDefaults(containerId, fileLimit);
        yield return SpecOptions.WithHostname(definition.Process.Hostname);
        yield return SpecOptions.WithUser(user);
        if (tty) yield return SpecOptions.WithTerminal(terminalSize);
        // The container's environment has TERM when it has a terminal, and an exec inherits it (as podman's).
        else if (definition.Process.Tty) yield return SpecOptions.WithTerminalType();
        yield return SpecOptions.WithEnvironment(definition.Process.Environment);
        yield return SpecOptions.WithEnvironment(environment);
        // An exec'd process lives under the container's rlimits, as its init does.
        if (definition.Resources is { Ulimits.Count: > 0 } limits) yield return SpecOptions.WithUlimits(limits.Ulimits);
        yield return SpecOptions.WithArgs(command);
        yield return SpecOptions.WithWorkingDirectory(workingDirectory);
        foreach (var option in SecurityConfig.ExecSpecOptions(definition.Security)) yield return option;
    }

    public static OciSpec Build(IEnumerable<SpecOption> options)
    {
        var spec = new OciSpec();
        foreach (var option in options) option(spec);
        return spec;
    }
}
