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
        foreach (var option in SecurityOptions(definition)) yield return option;
        yield return SpecOptions.WithTmpfs(definition.Tmpfs);
        // As podman's --read-only-tmpfs: a read-only root still has its scratch folders, unless mounted otherwise.
        if (definition.ReadOnly) yield return SpecOptions.WithTmpfs(ReadOnlyRootTmpfs(definition));
    }

    /// <summary>Capabilities, -Privileged, and the seccomp filter for those capabilities.</summary>
    private static IEnumerable<SpecOption> SecurityOptions(ContainerDefinition definition)
    {
        var capabilities = ContainerCapabilities(definition);
        yield return SpecOptions.WithCapabilities(capabilities);
        if (definition.Privileged)
        {
            yield return SpecOptions.WithPrivileged();
            yield return SpecOptions.WithDevices(HostDevices.List());
        }
        var profile = definition.Privileged || definition.SeccompUnconfined ? null
            : definition.SeccompProfile.Length > 0 ? SeccompProfile.Parse(definition.SeccompProfile) : SeccompProfile.Default;
        yield return SpecOptions.WithSeccomp(profile?.For(capabilities));
    }

    private static List<string> ContainerCapabilities(ContainerDefinition definition) =>
        Capabilities.Resolve(definition.CapAdd, definition.CapDrop, definition.Privileged, Capabilities.Host);

    private static IEnumerable<TmpfsMount> ReadOnlyRootTmpfs(ContainerDefinition definition)
    {
        var mounted = definition.Volumes.Select(v => v.ContainerPath).Concat(definition.Tmpfs.Select(t => t.ContainerPath)).ToHashSet(StringComparer.Ordinal);
        return TmpfsSpec.ReadOnlyRootFolders.Where(f => !mounted.Contains(f))
            .Select(f => new TmpfsMount { ContainerPath = f, Options = { "exec", "tmpcopyup" } });
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
        yield return SpecOptions.WithEnvironment(definition.Environment);
        yield return SpecOptions.WithEnvironment(environment);
        yield return SpecOptions.WithArgs(command);
        yield return SpecOptions.WithWorkingDirectory(workingDirectory);
        // runc gives an exec the container's seccomp filter; its capabilities are the process's own.
        yield return SpecOptions.WithCapabilities(ContainerCapabilities(definition));
    }

    public static OciSpec Build(IEnumerable<SpecOption> options)
    {
        var spec = new OciSpec();
        foreach (var option in options) option(spec);
        return spec;
    }
}
