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
        Func<string, string>? volumeData = null)
    {
        yield return SpecOptions.DockerDefaults(containerId, fileLimit);
        if (definition.Network.Mode == NetworkMode.Host) yield return SpecOptions.WithHostNetwork();
        yield return SpecOptions.WithHostname(definition.Process.Hostname);
        yield return SpecOptions.WithUser(user);
        if (definition.Process.Tty) yield return SpecOptions.WithTerminal(terminalSize);
        yield return SpecOptions.WithEnvironment(definition.Process.Environment);
        yield return SpecOptions.WithArgs(definition.Process.Command);
        if (definition.Process.Init) yield return SpecOptions.WithInit(initBinary ?? throw ConmanErrors.InitNotFound());
        yield return SpecOptions.WithWorkingDirectory(definition.Process.WorkingDirectory);
        yield return SpecOptions.WithVolumes(definition.Storage.Volumes);
        if (definition.Storage.NamedVolumes.Count > 0) yield return SpecOptions.WithStoreVolumes(definition.Storage.NamedVolumes, volumeData ?? throw new ArgumentNullException(nameof(volumeData)));
        yield return SpecOptions.WithReadOnlyRoot(definition.Storage.ReadOnly);
        foreach (var option in SecurityOptions(definition)) yield return option;
        yield return SpecOptions.WithTmpfs(definition.Storage.Tmpfs);
        // As podman's --read-only-tmpfs: a read-only root still has its scratch folders, unless mounted otherwise.
        if (definition.Storage.ReadOnly) yield return SpecOptions.WithTmpfs(ReadOnlyRootTmpfs(definition));
        if (definition.Resources is { } limits) foreach (var option in LimitOptions(limits)) yield return option;
    }

    /// <summary>Capabilities, -Privileged, and the seccomp filter for those capabilities.</summary>
    private static IEnumerable<SpecOption> SecurityOptions(ContainerDefinition definition)
    {
        var capabilities = ContainerCapabilities(definition);
        yield return CapabilitiesOption(definition, capabilities);
        if (definition.Security.AllowNewPrivileges) yield return SpecOptions.WithNewPrivileges();
        if (definition.Security.Privileged)
        {
            yield return SpecOptions.WithPrivileged();
            yield return SpecOptions.WithDevices(HostDevices.List());
        }
        // Docker makes a -Device node under --privileged too.
        if (definition.Storage.Devices.Count > 0) yield return SpecOptions.WithDevices(definition.Storage.Devices);
        var profile = definition.Security.Privileged || definition.Security.SeccompUnconfined ? null
            : definition.Security.SeccompProfile.Length > 0 ? SeccompProfile.Parse(definition.Security.SeccompProfile) : SeccompProfile.Default;
        yield return SpecOptions.WithSeccomp(profile?.For(capabilities));
    }

    private static List<string> ContainerCapabilities(ContainerDefinition definition) =>
        Capabilities.Resolve(definition.Security.CapAdd, definition.Security.CapDrop, definition.Security.Privileged, Capabilities.Host);

    private static SpecOption CapabilitiesOption(ContainerDefinition definition, IReadOnlyList<string> capabilities) =>
        SpecOptions.WithCapabilities(capabilities, Capabilities.Bounding(capabilities, definition.Security.CapDrop, noNewPrivileges: !definition.Security.AllowNewPrivileges));

    private static IEnumerable<TmpfsMount> ReadOnlyRootTmpfs(ContainerDefinition definition)
    {
        var mounted = definition.Storage.Volumes.Select(v => v.ContainerPath).Concat(definition.Storage.NamedVolumes.Select(v => v.ContainerPath))
            .Concat(definition.Storage.Tmpfs.Select(t => t.ContainerPath)).ToHashSet(StringComparer.Ordinal);
        return TmpfsSpec.ReadOnlyRootFolders.Where(f => !mounted.Contains(f))
            .Select(f => new TmpfsMount { ContainerPath = f, Options = { "exec", "tmpcopyup" } });
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
        // runc gives an exec the container's seccomp filter; its capabilities and no-new-privileges are the process's own.
        yield return CapabilitiesOption(definition, ContainerCapabilities(definition));
        if (definition.Security.AllowNewPrivileges) yield return SpecOptions.WithNewPrivileges();
    }

    public static OciSpec Build(IEnumerable<SpecOption> options)
    {
        var spec = new OciSpec();
        foreach (var option in options) option(spec);
        return spec;
    }
}
