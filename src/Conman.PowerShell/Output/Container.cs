using Conman.Engine.Containers;
using Conman.Engine.Networks;
using Conman.Engine.Definitions;
using Conman.Engine.Supervision;

namespace Conman;

/// <summary>A container as the cmdlets return it: a snapshot, read-only.</summary>
public sealed class Container
{
    internal Container(ContainerSnapshot snapshot)
    {
        var config = snapshot.Config;
        Id = snapshot.Id;
        Name = snapshot.Name;
        RootFs = config.RootFs;
        Image = config.Image;
        ImageId = config.ImageId;
        Process = config.Process;
        Storage = config.Storage;
        Security = config.Security;
        Network = config.Network;
        Limits = config.Limits;
        HealthCheck = config.HealthCheck;
        Lifetime = config.Lifetime;
        Logging = config.Logging;
        State = snapshot.State;
        StateReason = snapshot.StateReason;
        ExitCode = snapshot.ExitCode;
        Signal = snapshot.Signal;
        StopRequested = snapshot.StopRequested;
        OOMKilled = snapshot.OomKilled;
        Paused = snapshot.Paused;
        RestartCount = snapshot.RestartCount;
        Health = snapshot.Health;
        Restarting = snapshot.Restarting;
        Pid = snapshot.Pid;
        CreatedAt = snapshot.CreatedAt.LocalDateTime;
        // A run that failed before the container ran never started.
        StartedAt = snapshot.StartedAt?.LocalDateTime;
        FinishedAt = snapshot.FinishedAt?.LocalDateTime;
        LogPath = snapshot.LogPath;
        LostLogBytes = snapshot.LostLogBytes;
        NetworkEndpoints = snapshot.Network.Endpoints.ToArray();
        // While it runs, the ports as published (host ports chosen); otherwise as asked.
        Ports = (snapshot.State == ContainerState.Running && snapshot.Network.Ports.Count > 0 ? snapshot.Network.Ports : config.Network.Ports).ToArray();
    }

    // Its definition, one group per concern, as New-Container asks in them (docker inspect's Config and HostConfig).

    /// <summary>What runs, as whom, and how it talks: command, environment, user, hostname, labels, -Interactive, -Tty, -Init.</summary>
    public ProcessConfig Process { get; }
    /// <summary>What is mounted where: volumes, tmpfs, devices, a read-only root.</summary>
    public StorageConfig Storage { get; }
    /// <summary>What its processes may do: capabilities, -Privileged, -SecurityOpt, its user namespace.</summary>
    public SecurityConfig Security { get; }
    /// <summary>Its network mode or networks, aliases and published ports, as asked.</summary>
    public NetworkConfig Network { get; }
    /// <summary>Memory, CPU, tasks, rlimits and /dev/shm limits; a property is null where there is none.</summary>
    public ContainerLimits Limits { get; }
    /// <summary>Its health check (command, interval, timeout, start period, retries, on-failure action); null without one.</summary>
    public HealthCheckConfig? HealthCheck { get; }
    /// <summary>Its restart policy, -AutoRemove, -RemoveWithSession.</summary>
    public LifetimeConfig Lifetime { get; }
    /// <summary>Its log's bound (-LogMaxSize, -LogMaxFiles).</summary>
    public LogConfig Logging { get; }

    public string Id { get; }
    public string ShortId => Id[..12];
    public string Name { get; }
    /// <summary>The folder the container was made from; empty when it was made from an image.</summary>
    public string RootFs { get; }
    /// <summary>The image as the user named it; empty for a folder.</summary>
    public string Image { get; }
    public string ImageId { get; }
    public string[] Command => [.. Process.Command ?? []];
    public ContainerState State { get; }
    /// <summary>Why the state is Unknown; null otherwise.</summary>
    public string? StateReason { get; }
    public int? ExitCode { get; }
    /// <summary>The signal that killed the process, when one did.</summary>
    public int? Signal { get; }
    /// <summary>The last run ended after a stop asked for through Conman (Stop-Container, Remove-Container -Force), not by itself.</summary>
    public bool StopRequested { get; }
    /// <summary>The kernel OOM-killed a process of the container during its last run (it went past -Memory), as Docker's State.OOMKilled.</summary>
    public bool OOMKilled { get; }
    /// <summary>Running with every process frozen (Suspend-Container), as Docker's State.Paused.</summary>
    public bool Paused { get; }
    /// <summary>When its shim runs it again after it exits (-RestartPolicy).</summary>
    public RestartPolicy RestartPolicy => Lifetime.RestartPolicy;
    /// <summary>With OnFailure: the most restarts; 0 is no maximum.</summary>
    public int MaximumRetryCount => Lifetime.MaximumRetryCount ?? 0;
    /// <summary>How many times its shim restarted it since Start-Container.</summary>
    public int RestartCount { get; }
    /// <summary>Running, between two runs: the last one ended (ExitCode, FinishedAt) and the next is due.</summary>
    public bool Restarting { get; }
    /// <summary>A minimal init runs as its pid 1 (-Init).</summary>
    public bool Init => Process.Init;
    /// <summary>While it runs with a health check: Starting, Healthy or Unhealthy, the failing streak and the last checks.</summary>
    public ContainerHealth? Health { get; }
    public int? Pid { get; }
    public DateTime CreatedAt { get; }
    public DateTime? StartedAt { get; }
    public DateTime? FinishedAt { get; }
    public IReadOnlyDictionary<string, string> Labels => Process.Labels;
    public IReadOnlyDictionary<string, string> Environment => Process.Environment;
    public string Hostname => Process.Hostname ?? "";
    public string User => Process.User ?? "";
    public string WorkingDirectory => Process.WorkingDirectory ?? "";
    /// <summary>Every -Volume as Docker writes it: binds, then store volumes by name.</summary>
    public string[] Volumes => [.. Storage.Volumes];
    public bool ReadOnly => Storage.ReadOnly;
    public bool Interactive => Process.Interactive;
    public bool Tty => Process.Tty;
    public bool AutoRemove => Lifetime.AutoRemove;
    public bool RemoveWithSession => Lifetime.RemoveWithSession;
    /// <summary>The log file its shim writes; rotated files beside it are named LogPath.&lt;UTC time of rotation&gt;.</summary>
    public string LogPath { get; }
    /// <summary>The most bytes of a log file before it is rotated (-LogMaxSize); null: no bound.</summary>
    public long? LogMaxSize => Logging.MaxSize;
    /// <summary>How many log files are kept, the one written included (-LogMaxFiles); null: no bound.</summary>
    public int? LogMaxFiles => Logging.MaxFiles;
    /// <summary>Output the log could not take (its file system was full); 0 when it has it all.</summary>
    public ulong LostLogBytes { get; }
    /// <summary>bridge, none, host or container:&lt;id&gt; (-Network), as Docker's HostConfig.NetworkMode.</summary>
    public string NetworkMode => Network.Mode switch
    {
        ContainerNetworkMode.Bridge => NetworkConfig.BridgeMode,
        _ => Network.Networks[0],
    };
    /// <summary>The networks it joins at each start.</summary>
    public string[] Networks => Network.Mode == ContainerNetworkMode.Bridge ? [.. Network.Networks] : [];
    /// <summary>While it runs: its interface and address on each network.</summary>
    public NetworkEndpoint[] NetworkEndpoints { get; }
    /// <summary>Its address on its first network while it runs; null otherwise.</summary>
    public string? IPAddress => NetworkEndpoints.Length > 0 ? NetworkEndpoints[0].IPAddress : null;
    /// <summary>Host ports forwarded to it: the chosen ones while it runs.</summary>
    public PublishedPort[] Ports { get; }
    /// <summary>Docker's PORTS column: "0.0.0.0:8080->80/tcp, ...", only while it runs.</summary>
    public string PortSummary => State == ContainerState.Running ? string.Join(", ", Ports.Select(p => p.ToString())) : "";
    /// <summary>Docker's --privileged.</summary>
    public bool Privileged => Security.Privileged;
    public string[] CapAdd => [.. Security.CapAdd];
    public string[] CapDrop => [.. Security.CapDrop];
    /// <summary>Default (Conman's profile), Unconfined, or Profile (one given with -SecurityOpt).</summary>
    public SeccompMode Seccomp => Security.Seccomp;
    /// <summary>Whether setuid programs and file capabilities are kept from raising privileges (-SecurityOpt no-new-privileges).</summary>
    public bool NoNewPrivileges => Security.NoNewPrivileges;
    public string[] Tmpfs => [.. Storage.Tmpfs];
    /// <summary>Host devices (-Device), as "/dev/host:/dev/container:permissions".</summary>
    public string[] Devices => [.. Storage.Devices];
    /// <summary>"host" (its root is the host's), "auto" (-UserNs auto) or "private" (-UidMap/-GidMap).</summary>
    public string UserNamespace => Security.UserNs ?? "host";
    /// <summary>Its user namespace's ranges, "container-id:host-id:size" as podman's --uidmap; empty on the host's.</summary>
    public string[] UidMap => [.. Security.UidMap];
    public string[] GidMap => [.. Security.GidMap];

    /// <summary>Docker's status column: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created".</summary>
    public string Status => State switch
    {
        ContainerState.Running when Restarting && FinishedAt is { } ended => $"Restarting ({ExitCode}) {Ago.Describe(DateTime.Now - ended)} ago",
        ContainerState.Running when StartedAt is { } started => $"Up {Ago.Describe(DateTime.Now - started)}{HealthSuffix}{(Paused ? " (Paused)" : "")}",
        ContainerState.Exited when FinishedAt is { } finished => $"Exited ({ExitCode}){(OOMKilled ? " OOM-killed" : "")} {Ago.Describe(DateTime.Now - finished)} ago",
        ContainerState.Unknown => $"Unknown: {StateReason}",
        ContainerState.Removing => "Removing",
        _ => State.ToString(),
    };

    /// <summary>As docker ps shows health: " (health: starting)", " (healthy)", " (unhealthy)".</summary>
    private string HealthSuffix => Health?.Status switch
    {
        HealthStatus.Starting => " (health: starting)",
        HealthStatus.Healthy => " (healthy)",
        HealthStatus.Unhealthy => " (unhealthy)",
        _ => "",
    };

    public override string ToString() => Name;
}

/// <summary>Durations as Docker words them: "Less than a second", "5 seconds", "2 minutes", "3 hours".</summary>
internal static class Ago
{
    public static string Describe(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1)) return "Less than a second";
        if (span < TimeSpan.FromMinutes(1)) return Plural((int)span.TotalSeconds, "second");
        if (span < TimeSpan.FromHours(1)) return Plural((int)span.TotalMinutes, "minute");
        if (span < TimeSpan.FromDays(2)) return Plural((int)span.TotalHours, "hour");
        return Plural((int)span.TotalDays, "day");
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
