using System.Collections;
using System.Management.Automation;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Supervision;

namespace Conman.Cmdlets;

/// <summary>
/// The parameters that describe a new container, shared by New- and Invoke-Container, each
/// mapped into the group of settings it belongs to (<see cref="ToOptions"/>); the limits, which
/// Update-Container takes too, are declared once in <see cref="LimitParameters"/>.
/// </summary>
public abstract class ContainerDefinitionCmdlet : ContainerCmdlet, IDynamicParameters
{
    private readonly LimitParameters _limits = new();

    /// <summary>-Memory, -Cpus and the other limits, as Update-Container has them.</summary>
    public object GetDynamicParameters() => _limits;

    [Parameter(Mandatory = true, ParameterSetName = "RootFs")]
    [ValidateNotNullOrEmpty]
    public string? RootFs { get; set; }

    /// <summary>
    /// An image in the store, by name or id, or a ContainerImage: its layers are the root
    /// filesystem, its config the defaults. The first positional argument, as in docker run; a
    /// path there (/, ./, ../ or ~ first, which no image reference starts with) is a root
    /// filesystem folder, as -RootFs.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Image", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ImageArgument]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    /// <summary>The command and its arguments: every argument after the image (docker run's shape).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>When to pull the image from its registry: Missing (default), Always, Never.</summary>
    [Parameter(ParameterSetName = "Image")]
    public PullPolicy Pull { get; set; } = PullPolicy.Missing;

    /// <summary>Replaces the image's Entrypoint (docker --entrypoint).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A hashtable, or Docker's 'NAME=value' strings and bare 'NAME' for this session's own value; over -EnvironmentFile's.</summary>
    [Parameter]
    [EnvironmentArgument]
    public Hashtable? Environment { get; set; }

    /// <summary>Files of NAME=value lines, as docker run --env-file reads them; -Environment goes over them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? EnvironmentFile { get; set; }

    [Parameter]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    public string? User { get; set; }

    /// <summary>More groups for the container's processes (docker --group-add): names of its /etc/group, or numbers.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GroupAdd { get; set; }

    [Parameter]
    public string? Hostname { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>
    /// As docker -v: "/host/path:/path[:ro]" binds a host folder; "name:/path[:ro]" mounts the
    /// store volume of that name (made if missing); "/path" mounts a new anonymous volume.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    public string[]? Volume { get; set; }

    /// <summary>Docker's --mount long form: 'type=bind,source=/srv,target=/data,readonly', 'type=volume,source=data,target=/data', 'type=tmpfs,target=/cache'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Mount { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Keep the container's stdin open for attach clients (docker -i).</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>Give the container a pseudo-terminal (docker -t).</summary>
    [Parameter]
    public SwitchParameter Tty { get; set; }

    /// <summary>"bridge" (the default network, "conman"), "none", "host", or networks by name (docker --network).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Network { get; set; }

    /// <summary>More names on the user-made networks the container joins (docker --network-alias).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? NetworkAlias { get; set; }

    /// <summary>Host ports to forward, as docker -p: '[hostIp:][hostPort:]containerPort[/tcp|udp]', ranges allowed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Publish { get; set; }

    /// <summary>Publish every port the image exposes on a free host port (docker -P).</summary>
    [Parameter]
    public SwitchParameter PublishAll { get; set; }

    /// <summary>More /etc/hosts lines, as docker --add-host: 'name:address', the address an IP or host-gateway (the host's address on the container's network).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddHost { get; set; }
    /// <summary>Docker's --security-opt: seccomp=unconfined, or seccomp=PROFILE.json (Docker's profile format).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? SecurityOpt { get; set; }

    /// <summary>Capabilities added to Docker's default set (NET_ADMIN, CAP_SYS_TIME, ALL).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CapAdd { get; set; }

    /// <summary>Capabilities dropped from it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CapDrop { get; set; }

    /// <summary>Every capability and device, no seccomp filter, nothing of /proc masked (docker --privileged).</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>tmpfs mounts: '/run', '/cache:size=64m,mode=1777' (docker --tmpfs).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tmpfs { get; set; }

    /// <summary>Host devices: '/dev/fuse', '/dev/zero:/dev/nothing:r' (docker --device; permissions of rwm).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Device { get; set; }

    /// <summary>
    /// The container's user namespace (podman --userns): 'host' (the default: its root is the
    /// host's), 'auto' or 'auto:size=N' (a free range of the host's subordinate ids, its own).
    /// </summary>
    [Parameter]
    [ArgumentCompletions("host", "auto", "auto:size=65536")]
    public string? UserNs { get; set; }

    /// <summary>User namespace uid ranges, 'container-id:host-id:size' (podman --uidmap): '0:100000:65536'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? UidMap { get; set; }

    /// <summary>User namespace gid ranges (podman --gidmap); the uid map serves when it is not given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GidMap { get; set; }
    /// <summary>rlimits as 'name=soft[:hard]', such as 'nofile=1024:2048' (set when its process starts: not updatable).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Ulimit { get; set; }

    /// <summary>The size of /dev/shm (64MB by default; mounted at the start: not updatable).</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? ShmSize { get; set; }

    /// <summary>When the container's shim runs it again after it exits (docker --restart).</summary>
    [Parameter]
    public RestartPolicy RestartPolicy { get; set; }

    /// <summary>With -RestartPolicy OnFailure: the most restarts (0: no maximum).</summary>
    [Parameter]
    public int? MaximumRetryCount { get; set; }

    /// <summary>Run a minimal init (catatonit) as pid 1: signals reach the command, zombies are reaped (docker --init).</summary>
    [Parameter]
    public SwitchParameter Init { get; set; }

    /// <summary>The health check: one string runs under /bin/sh -c (docker --health-cmd), several are a command and its arguments.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? HealthCommand { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthInterval { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthTimeout { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthStartPeriod { get; set; }

    [Parameter]
    public int? HealthRetries { get; set; }

    /// <summary>No health check, not even the image's (docker --no-healthcheck).</summary>
    [Parameter]
    public SwitchParameter NoHealthcheck { get; set; }

    /// <summary>What the shim does when the container becomes unhealthy (podman's --health-on-failure).</summary>
    [Parameter]
    public HealthOnFailure HealthOnFailure { get; set; }

    /// <summary>The most bytes of a log file before its shim rotates it (docker --log-opt max-size): 10MB, or '10m'; -1 for no bound.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? LogMaxSize { get; set; }

    /// <summary>How many log files are kept, the one written included (docker --log-opt max-file).</summary>
    [Parameter]
    public int? LogMaxFiles { get; set; }

    /// <summary>The signal Stop-Container sends first (docker --stop-signal): INT, SIGINT or 2; the image's STOPSIGNAL, else SIGTERM.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SignalCompleter))]
    public string? StopSignal { get; set; }

    /// <summary>Its shim removes the container once it has exited, started detached or not (docker run --rm).</summary>
    [Parameter]
    public SwitchParameter AutoRemove { get; set; }

    /// <summary>Kill and remove the container when the PowerShell session that starts it ends, however it ends.</summary>
    [Parameter]
    public SwitchParameter RemoveWithSession { get; set; }

    /// <summary>The root filesystem folder, from -RootFs or a path given where the image goes.</summary>
    private string? RootFsFolder => RootFs ?? (ImageIsPath ? Image : null);

    private bool ImageIsPath => Image is { } image
        && (image is "." or ".." or "~" || image.StartsWith('/') || image.StartsWith("./") || image.StartsWith("../") || image.StartsWith("~/"));

    private string? ImageReference => ImageIsPath ? null : Image;

    /// <summary>The container's settings from the parameters; a command that starts with a parameter is refused first.</summary>
    protected ContainerOptions ToOptions(bool interactive = false)
    {
        if (CommandStart.UnknownParameter(MyInvocation, Command) is { } parameter)
        {
            // Aliases of two letters (-cf, -ea) are shorthands, not what a typo of a longer word meant.
            string? closest = ParameterNames.Closest(parameter, MyInvocation.MyCommand.Parameters.Values.SelectMany(p => p.Aliases.Where(a => a.Length > 2).Prepend(p.Name)));
            ThrowTerminatingError(ToErrorRecord(Errors.CmdletErrors.CommandStartsWithParameter(MyInvocation.MyCommand.Name, parameter, closest)));
        }
        return Options(interactive);
    }

    private ContainerOptions Options(bool interactive) => new()
    {
        RootFs = RootFsFolder is { } folder ? GetUnresolvedProviderPathFromPSPath(folder) : null,
        Image = ImageReference,
        Name = Name,
        Process = new()
        {
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = EnvironmentOf(),
            WorkingDirectory = WorkingDirectory,
            User = User,
            Hostname = Hostname,
            Labels = ToDictionary(Label),
            Interactive = interactive || Interactive,
            Tty = Tty,
            Init = Init,
            GroupAdd = GroupAdd ?? [],
        },
        Storage = new() { Volumes = Volume ?? [], Mounts = Mount ?? [], Tmpfs = Tmpfs ?? [], Devices = Device ?? [], ReadOnly = ReadOnly },
        Security = new()
        {
            Privileged = Privileged,
            CapAdd = CapAdd ?? [],
            CapDrop = CapDrop ?? [],
            SecurityOpt = (SecurityOpt ?? []).Select(ResolveSecurityOption).ToArray(),
            UserNs = UserNs,
            UidMap = UidMap ?? [],
            GidMap = GidMap ?? [],
        },
        Network = new() { Networks = Network ?? [], Aliases = NetworkAlias ?? [], Publish = Publish ?? [], PublishAll = PublishAll, AddHost = AddHost ?? [] },
        Limits = _limits.ToLimits(Ulimit, ShmSize),
        HealthCheck = new()
        {
            Command = HealthCommand,
            Interval = HealthInterval,
            Timeout = HealthTimeout,
            StartPeriod = HealthStartPeriod,
            Retries = HealthRetries,
            OnFailure = HealthOnFailure,
            Disabled = NoHealthcheck,
        },
        Lifetime = new()
        {
            RestartPolicy = RestartPolicy, MaximumRetryCount = MaximumRetryCount, AutoRemove = AutoRemove, RemoveWithSession = RemoveWithSession,
            StopSignal = StopSignal,
        },
        Logging = new() { MaxSize = LogMaxSize, MaxFiles = LogMaxFiles },
    };

    /// <summary>A profile's path as PowerShell resolves it (relative to the current location, ~).</summary>
    private string ResolveSecurityOption(string option) =>
        option.StartsWith("seccomp=", StringComparison.Ordinal) && option != "seccomp=unconfined"
            ? "seccomp=" + GetUnresolvedProviderPathFromPSPath(option["seccomp=".Length..])
            : option;

    /// <summary>
    /// Pulls the image first when -Pull asks for it (the engine decides), showing its progress.
    /// For registries that need credentials, Request-ContainerImage -Credential first.
    /// </summary>
    protected void PullImageIfNeeded()
    {
        if (ImageReference is not { } image || !Engine.Images.NeedsPull(image, Pull)) return;
        new ImageProgressPump(this, StopToken).Run($"Pulling {image}",
            (progress, cancel) => Engine.Images.Pull(image, credential: null, allowInsecure: false, progress, cancel));
    }

    /// <summary>-EnvironmentFile's entries, file by file, then -Environment's over them, as docker run reads --env-file and -e.</summary>
    private Dictionary<string, string> EnvironmentOf()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in EnvironmentFile ?? [])
        {
            string path = GetUnresolvedProviderPathFromPSPath(file);
            try
            {
                foreach (var (name, value) in EnvironmentLines.Parse(EnvironmentLines.OfFile(File.ReadAllText(path)))) environment[name] = value;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                ThrowTerminatingError(ToErrorRecord(Errors.CmdletErrors.EnvironmentFileUnreadable(file, e.Message)));
            }
        }
        foreach (var (name, value) in ToDictionary(Environment)) environment[name] = value;
        return environment;
    }

    private static Dictionary<string, string> ToDictionary(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? [];
}
