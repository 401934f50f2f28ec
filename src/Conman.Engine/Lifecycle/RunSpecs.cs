using Conman.Engine.Runtime;
using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// What a run of a container is told: its OCI spec (config.json: the definition's spec options,
/// then those of its host resources), its health check's process (health.json), and what its shim
/// is told (shim.pb). Derived from the definition at every start, and again by every change of a
/// running container's definition, so that a run its shim starts again runs the definition as it is.
/// </summary>
internal sealed class RunSpecs(EngineContext context)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>The definition's spec options, then those of the resources (none for a process of the container's, a health check's).</summary>
    public OciSpec Build(ContainerRecord record, IReadOnlyList<IHostResource> resources, (ushort Rows, ushort Columns)? terminalSize)
    {
        // Names resolve as the container's own /etc/passwd has them now, as at Docker's starts.
        var user = UserResolver.Resolve(record.Definition.Process, new RootFsView([Layout.MergedRootFs(record.Id)]));
        var definitionOptions = ContainerSpec.Options(record.Id, record.Definition, user, terminalSize, SpecOptions.HostFileLimit(),
            record.Definition.Process.Init ? Supervision.InitBinary.Locate() : null, Layout.VolumeData);
        return ContainerSpec.Build([.. definitionOptions, .. resources.SelectMany(r => r.SpecOptions)]);
    }

    /// <summary>
    /// The health check's process (health.json), for the shim to exec at each check: the
    /// container's own process (user, environment, working directory, capabilities, rlimits) with
    /// the check's command and no terminal, as Docker runs a check as an exec.
    /// </summary>
    /// <returns>The shim's health check; null without one.</returns>
    public ShimHealthCheck? WriteHealthProcess(ContainerRecord record) =>
        WriteHealthProcess(record, HealthProcess(record, Build(record, resources: [], terminalSize: null)));

    /// <summary>
    /// config.json and health.json of a live run, derived again from the definition as it will be,
    /// under the container's lock: a run its shim starts again (its restart policy, a health
    /// check's restart) runs what Update-Container set, not what the start saw. The run's
    /// resources are where its start put them (the namespace and files named by the container's
    /// id, a user namespace's staged mounts).
    /// </summary>
    /// <returns>Both, derived; written by <see cref="Write"/>. Derived first, so that a definition they cannot be derived from changes nothing.</returns>
    public (OciSpec Spec, OciProcess? Health) DeriveForRun(ContainerRecord record)
    {
        var spec = Build(record, context.ResourcesOf(record, starting: false), terminalSize: null);
        if (record.Definition.Security.UidMappings.Count > 0) UserNamespaces.MountStaging.Redirect(spec, Layout.MountStagingFolder(record.Id));
        return (spec, HealthProcess(record, Build(record, resources: [], terminalSize: null)));
    }

    public void Write(ContainerRecord record, (OciSpec Spec, OciProcess? Health) derived)
    {
        AtomicFile.Write(Layout.SpecPath(record.Id), derived.Spec.ToJson());
        WriteHealthProcess(record, derived.Health);
    }

    /// <summary>What every shim is told, a container's or an exec's; the caller adds what is its own.</summary>
    public ShimConfig ShimConfigFor(string id, bool interactive, bool tty, string log, string exit, string socket, string run, LogRotation logRotation) => new()
    {
        ContainerId = id, Bundle = Layout.ContainerFolder(id), Runtime = context.Runtime.Path, RuntimeRoot = context.Runtime.Root,
        LogPath = log, LogRotation = logRotation, ExitPath = exit, SocketPath = socket, RunPath = run, Interactive = interactive, Tty = tty,
    };

    private ShimHealthCheck? WriteHealthProcess(ContainerRecord record, OciProcess? process)
    {
        if (record.Definition.HealthCheck is not { } check || process is null) return null;
        AtomicFile.Write(Layout.HealthProcessPath(record.Id), process.ToJson());
        return new ShimHealthCheck { ProcessPath = Layout.HealthProcessPath(record.Id), RecordPath = Layout.HealthPath(record.Id), Check = check };
    }

    /// <summary>The check's process: the container's own, with the check's command and no terminal; null without a check.</summary>
    private static OciProcess? HealthProcess(ContainerRecord record, OciSpec containerSpec)
    {
        if (record.Definition.HealthCheck is not { } check) return null;
        var process = containerSpec.Process;
        process.Args = [.. check.Command];
        process.Terminal = false;
        return process;
    }
}
