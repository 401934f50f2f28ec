using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Which spec options make a container's config.json, in order, from its definition and what
/// the start knows (the user resolved in its root filesystem, a client terminal's size).
/// Derived at every start: a changed definition needs no patching of an old spec.
/// </summary>
internal static class ContainerSpec
{
    public static IEnumerable<SpecOption> Options(string containerId, ContainerDefinition definition, UserResolver.ContainerUser user,
        (ushort Rows, ushort Columns)? terminalSize, (ulong Soft, ulong Hard) fileLimit)
    {
        yield return SpecOptions.DockerDefaults(containerId, fileLimit);
        yield return SpecOptions.WithHostname(definition.Hostname);
        yield return SpecOptions.WithUser(user);
        if (definition.Tty) yield return SpecOptions.WithTerminal(terminalSize);
        yield return SpecOptions.WithEnvironment(definition.Environment);
        yield return SpecOptions.WithArgs(definition.Command);
        yield return SpecOptions.WithWorkingDirectory(definition.WorkingDirectory);
        yield return SpecOptions.WithVolumes(definition.Volumes);
        yield return SpecOptions.WithReadOnlyRoot(definition.ReadOnly);
    }

    /// <summary>The process of an exec into a running container: the container's own, with the exec's changes.</summary>
    public static IEnumerable<SpecOption> ExecOptions(string containerId, ContainerDefinition definition, UserResolver.ContainerUser user,
        IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string workingDirectory, bool tty,
        (ushort Rows, ushort Columns)? terminalSize, (ulong Soft, ulong Hard) fileLimit)
    {
        yield return SpecOptions.DockerDefaults(containerId, fileLimit);
        yield return SpecOptions.WithHostname(definition.Hostname);
        yield return SpecOptions.WithUser(user);
        if (tty) yield return SpecOptions.WithTerminal(terminalSize);
        // The container's environment has TERM when it has a terminal, and an exec inherits it (as podman's).
        else if (definition.Tty) yield return SpecOptions.WithTerminalType();
        yield return SpecOptions.WithEnvironment(definition.Environment);
        yield return SpecOptions.WithEnvironment(environment);
        yield return SpecOptions.WithArgs(command);
        yield return SpecOptions.WithWorkingDirectory(workingDirectory);
    }

    public static OciSpec Build(IEnumerable<SpecOption> options)
    {
        var spec = new OciSpec();
        foreach (var option in options) option(spec);
        return spec;
    }
}
