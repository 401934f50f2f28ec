namespace Conman.Engine.Containers;

/// <summary>What New-Container asks for. Validated by the engine before anything is written.</summary>
public sealed class ContainerOptions
{
    /// <summary>A folder to use as the root filesystem; or else <see cref="Image"/>.</summary>
    public string? RootFs { get; init; }
    /// <summary>An image in the store, by name or id, whose layers make the root filesystem.</summary>
    public string? Image { get; init; }
    /// <summary>Without its leading slash, if it has one: Docker shows names as "/web" and takes them so.</summary>
    public string? Name { get => _name; init => _name = ContainerName.WithoutLeadingSlash(value); }
    private readonly string? _name;
    /// <summary>The arguments; null takes the image's Cmd (or /bin/sh for a folder).</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>Replaces the image's Entrypoint (and, as in Docker, drops its Cmd when no command is given).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public bool ReadOnly { get; init; }
    /// <summary>Keep stdin open for attach clients (docker -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>Give the container a pseudo-terminal (docker -t).</summary>
    public bool Tty { get; init; }
    /// <summary>"bridge" (the default network, as when empty), "none", "host", or networks by name.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
    /// <summary>More names for the container on the user-made networks it joins (docker --network-alias).</summary>
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];
    /// <summary>Ports to publish, as docker -p: [hostIp:][hostPort:]containerPort[/tcp|udp].</summary>
    public IReadOnlyList<string> Publish { get; init; } = [];
    /// <summary>Publish every port the image exposes, each on a free host port (docker -P).</summary>
    public bool PublishAll { get; init; }
    /// <summary>Docker's --security-opt: "seccomp=unconfined" or "seccomp=PROFILE.json".</summary>
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];
    /// <summary>Capabilities added to Docker's default set ("NET_ADMIN", "CAP_SYS_TIME", "ALL").</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    /// <summary>Capabilities dropped from it.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>Docker's --privileged: every capability and device, no seccomp filter, nothing masked.</summary>
    public bool Privileged { get; init; }
    /// <summary>tmpfs mounts, as docker --tmpfs: "/run", "/cache:size=64m,mode=1777".</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    /// <summary>Host devices, as docker --device: "/dev/fuse", "/dev/zero:/dev/nothing:r".</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
    /// <summary>podman's --userns: "host" (or null, the default), "auto" or "auto:size=N".</summary>
    public string? UserNamespace { get; init; }
    /// <summary>podman's --uidmap: "container-id:host-id:size" ranges of a user namespace.</summary>
    public IReadOnlyList<string> UidMap { get; init; } = [];
    /// <summary>podman's --gidmap; without it, the gid map is the uid map (and the other way round).</summary>
    public IReadOnlyList<string> GidMap { get; init; } = [];
    /// <summary>
    /// No anonymous volumes for the image's VOLUME entries: a build step's container, whose writes
    /// there belong in the layer it makes (as BuildKit and buildah keep them), and which leaves no volume behind.
    /// </summary>
    internal bool WithoutImageVolumes { get; init; }
    /// <summary>Limits on memory, CPU, tasks, rlimits and /dev/shm (docker run --memory, --cpus, ...).</summary>
    public Resources.ResourceOptions Resources { get; init; } = new();
    /// <summary>When the container's shim runs it again after it exits (docker run --restart).</summary>
    public Supervision.RestartPolicy RestartPolicy { get; init; }
    /// <summary>With OnFailure: the most restarts (docker --restart on-failure:N); null or 0: no maximum.</summary>
    public int? MaximumRetryCount { get; init; }
    /// <summary>A minimal init as pid 1 that forwards signals and reaps zombies (docker run --init).</summary>
    public bool Init { get; init; }
    /// <summary>A health check to run in the container: one string runs under /bin/sh -c (docker --health-cmd), several are an argv. Replaces the image's.</summary>
    public IReadOnlyList<string>? HealthCommand { get; init; }
    public TimeSpan? HealthInterval { get; init; }
    public TimeSpan? HealthTimeout { get; init; }
    public TimeSpan? HealthStartPeriod { get; init; }
    public int? HealthRetries { get; init; }
    /// <summary>No health check, not even the image's (docker --no-healthcheck).</summary>
    public bool NoHealthcheck { get; init; }
    public Supervision.HealthOnFailure HealthOnFailure { get; init; }
    /// <summary>The most bytes a log file takes before the shim rotates it (docker --log-opt max-size); null: 10 MiB; -1: no bound.</summary>
    public long? LogMaxSize { get; init; }
    /// <summary>How many log files are kept, the one written included (docker --log-opt max-file); null: 5.</summary>
    public int? LogMaxFiles { get; init; }
    /// <summary>Its shim removes it once it has exited (docker run --rm).</summary>
    public bool AutoRemove { get; init; }
    /// <summary>Its shim kills and removes it when the session (process) that started it ends.</summary>
    public bool RemoveWithSession { get; init; }
}
