using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Which spec options make a container's config.json, in order, from its definition and what
/// the start knows (the user resolved in its root filesystem, a client terminal's size).
/// Derived at every start: a changed definition needs no patching of an old spec.
/// </summary>
internal static class ContainerSpec
{
    /// <param name="initBinary">The host's init binary, for a definition with Init.</param>
    public static IEnumerable<SpecOption> Options(string containerId, ContainerDefinition definition, UserResolver.ContainerUser user,
        (ushort Rows, ushort Columns)? terminalSize, (ulong Soft, ulong Hard) fileLimit, string? initBinary = null)
    {
        yield return SpecOptions.DockerDefaults(containerId, fileLimit);
        yield return SpecOptions.WithHostname(definition.Hostname);
        yield return SpecOptions.WithUser(user);
        if (definition.Tty) yield return SpecOptions.WithTerminal(terminalSize);
        yield return SpecOptions.WithEnvironment(definition.Environment);
        yield return SpecOptions.WithArgs(definition.Command);
        if (definition.Init) yield return SpecOptions.WithInit(initBinary ?? throw ConmanErrors.InitNotFound());
        yield return SpecOptions.WithWorkingDirectory(definition.WorkingDirectory);
        yield return SpecOptions.WithVolumes(definition.Volumes);
        yield return SpecOptions.WithReadOnlyRoot(definition.ReadOnly);
        if (definition.Resources is { } limits) foreach (var option in LimitOptions(limits)) yield return option;
    }

    /// <summary>The options of a container's limits: only those its definition has.</summary>
    private static IEnumerable<SpecOption> LimitOptions(ResourceLimits limits)
    {
        if (limits.HasMemoryBytes) yield return SpecOptions.WithMemoryLimit(limits.MemoryBytes, limits.HasMemorySwapBytes ? limits.MemorySwapBytes : null);
        if (limits.HasNanoCpus) yield return SpecOptions.WithCpuLimit(limits.NanoCpus);
        if (limits.HasCpuShares) yield return SpecOptions.WithCpuShares(limits.CpuShares);
        if (limits.CpusetCpus.Length > 0) yield return SpecOptions.WithCpuset(limits.CpusetCpus);
        if (limits.HasPidsLimit) yield return SpecOptions.WithPidsLimit(limits.PidsLimit);
        if (limits.Ulimits.Count > 0) yield return SpecOptions.WithUlimits(limits.Ulimits);
        if (limits.HasShmSizeBytes) yield return SpecOptions.WithShmSize(limits.ShmSizeBytes);
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
        // An exec'd process lives under the container's rlimits, as its init does.
        if (definition.Resources is { Ulimits.Count: > 0 } limits) yield return SpecOptions.WithUlimits(limits.Ulimits);
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
