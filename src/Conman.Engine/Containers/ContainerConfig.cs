using Conman.Engine.Logs;
using Conman.Engine.Resources;
using Conman.Protocol;

namespace Conman.Engine.Containers;

/// <summary>
/// What a container was made to run (docker inspect's Config), read-only: the stored definition
/// as the cmdlets and their output objects see it, without the generated protobuf record.
/// </summary>
public sealed record ContainerConfig(
    string RootFs,
    string Image,
    string ImageId,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string User,
    string Hostname,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<VolumeBinding> Volumes,
    bool ReadOnly,
    bool Interactive,
    bool Tty,
    ContainerLimits Limits,
    Supervision.RestartPolicy RestartPolicy = Supervision.RestartPolicy.No,
    int MaximumRetryCount = 0,
    bool Init = false,
    Supervision.HealthCheckConfig? HealthCheck = null)
{
    /// <summary>Docker's --privileged.</summary>
    public bool Privileged { get; init; }
    /// <summary>Capabilities added to and dropped from Docker's default set ("CAP_NET_ADMIN", "ALL").</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>The seccomp filter: "default" (Conman's profile), "unconfined", or "profile" (one given at create).</summary>
    public string Seccomp { get; init; } = "default";
    /// <summary>Whether execve may not raise privileges (setuid, file capabilities): true unless -SecurityOpt no-new-privileges=false.</summary>
    public bool NoNewPrivileges { get; init; } = true;
    /// <summary>tmpfs mounts as --tmpfs writes them: "/cache:size=64m".</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    /// <summary>Store volumes as -v writes them: "data:/var/lib/x", "&lt;64 hex&gt;:/cache:ro" for an anonymous one.</summary>
    public IReadOnlyList<string> StoreVolumes { get; init; } = [];
    /// <summary>Host devices as --device writes them: "/dev/zero:/dev/nothing:r".</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
    /// <summary>bridge, none, host or container:&lt;id&gt; (-Network).</summary>
    public string NetworkMode { get; init; } = "bridge";
    /// <summary>The networks it joins at each start.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
    /// <summary>The ports it publishes, as asked (a host port of 0 is chosen at each start).</summary>
    public IReadOnlyList<Conman.Engine.Networks.PublishedPort> Ports { get; init; } = [];
    /// <summary>The most bytes of a log file before its shim rotates it; null: no bound.</summary>
    public long? LogMaxSize { get; init; }
    /// <summary>How many log files are kept, the one written included; null: no bound.</summary>
    public int? LogMaxFiles { get; init; }

    internal static ContainerConfig From(ContainerDefinition definition) => new(
        definition.RootFs,
        definition.Image,
        definition.ImageId,
        definition.Command.ToArray(),
        new Dictionary<string, string>(definition.Environment),
        definition.WorkingDirectory,
        definition.User,
        definition.Hostname,
        new Dictionary<string, string>(definition.Labels),
        definition.Volumes.Select(v => new VolumeBinding(v.HostPath, v.ContainerPath, v.ReadOnly) { ChownToUser = v.ChownToUser }).ToArray(),
        definition.ReadOnly,
        definition.Interactive,
        definition.Tty,
        ContainerLimits.From(definition.Resources),
        Supervision.RestartPolicies.From(definition.RestartPolicy),
        definition.RestartPolicy?.MaximumRetryCount ?? 0,
        definition.Init,
        Supervision.HealthChecks.From(definition.HealthCheck))
    {
        Privileged = definition.Privileged,
        CapAdd = definition.CapAdd.ToArray(),
        CapDrop = definition.CapDrop.ToArray(),
        Seccomp = definition.Privileged || definition.SeccompUnconfined ? "unconfined" : definition.SeccompProfile.Length > 0 ? "profile" : "default",
        NoNewPrivileges = !definition.AllowNewPrivileges,
        Tmpfs = definition.Tmpfs.Select(t => t.Options.Count == 0 ? t.ContainerPath : $"{t.ContainerPath}:{string.Join(',', t.Options)}").ToArray(),
        StoreVolumes = definition.NamedVolumes.Select(v => $"{v.Name}:{v.ContainerPath}{Spec.MountOptions.Suffix(v.ReadOnly, v.ChownToUser)}").ToArray(),
        Devices = definition.Devices.Select(d => $"{d.HostPath}:{d.ContainerPath}:{d.Permissions}").ToArray(),
        NetworkMode = definition.NetworkMode switch
        {
            Protocol.NetworkMode.None => "none",
            Protocol.NetworkMode.Host => "host",
            Protocol.NetworkMode.Container => Conman.Engine.Networks.NetworkDefinitions.ContainerModePrefix + definition.NetworkContainer,
            _ => "bridge",
        },
        Networks = definition.Networks.Select(n => n.Network).ToArray(),
        Ports = definition.Ports.Select(Conman.Engine.Networks.PublishedPort.From).ToArray(),
        LogMaxSize = LogRotations.Shown(definition).MaxSizeBytes,
        LogMaxFiles = LogRotations.Shown(definition).MaxFiles,
        AutoRemove = definition.AutoRemove,
        RemoveWithSession = definition.RemoveWithSession,
        UserNamespace = definition.UidMappings.Count == 0 ? "host" : definition.UserNamespaceAuto ? "auto" : "private",
        UidMap = definition.UidMappings.Select(m => UserNamespaces.UserNamespaceSpec.Format([m])).ToArray(),
        GidMap = definition.GidMappings.Select(m => UserNamespaces.UserNamespaceSpec.Format([m])).ToArray(),
    };
    /// <summary>Removed by its shim once it has exited (docker run --rm).</summary>
    public bool AutoRemove { get; init; }

    /// <summary>Killed and removed by its shim when the session that started it ends.</summary>
    public bool RemoveWithSession { get; init; }

    /// <summary>"host" (its root is the host's), "auto" (ranges chosen by -UserNs auto) or "private" (-UidMap/-GidMap).</summary>
    public string UserNamespace { get; init; } = "host";
    /// <summary>The user namespace's maps as podman's --uidmap writes them: "0:2147483647:65536"; empty on the host's.</summary>
    public IReadOnlyList<string> UidMap { get; init; } = [];
    public IReadOnlyList<string> GidMap { get; init; } = [];
}

/// <summary>A host path bound into the container (docker -v).</summary>
public sealed record VolumeBinding(string HostPath, string ContainerPath, bool ReadOnly)
{
    /// <summary>podman's ":U": the folder's files are given to the container's user at each start.</summary>
    public bool ChownToUser { get; init; }

    /// <summary>As Docker's -v writes it: "host:container[:ro][,U]".</summary>
    public override string ToString() => $"{HostPath}:{ContainerPath}{Spec.MountOptions.Suffix(ReadOnly, ChownToUser)}";
}
