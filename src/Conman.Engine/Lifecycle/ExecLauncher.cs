using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Engine.Shim;
using Conman.Engine.Spec;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>Processes exec'd into running containers (docker exec), each under a shim of its own.</summary>
internal sealed class ExecLauncher(EngineContext context, RunSpecs specs)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// Runs a process in a running container under its own shim (docker exec). The process starts
    /// only once the returned session's stream is attached, so none of its output is missed.
    /// </summary>
    public ExecSession Exec(string idOrName, ExecOptions options, AttachRequest request)
    {
        var record = context.Store.Resolve(idOrName);
        if (context.Store.Inspect(record).State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var definition = record.Definition;
        if (options.Command.Count == 0 || string.IsNullOrEmpty(options.Command[0])) throw ConmanErrors.EmptyCommand(record.Name);
        Definitions.ProcessConfig.ValidateEnvironment(options.Environment);
        string workingDirectory = options.WorkingDirectory ?? definition.Process.WorkingDirectory;
        Definitions.ProcessConfig.ValidateWorkingDirectory(workingDirectory);
        // The container runs, so its root filesystem is mounted: names resolve as it sees them now.
        var user = UserResolver.Resolve(definition.Process, new RootFsView([Layout.MergedRootFs(record.Id)]), userOverride: options.User);

        string id = record.Id;
        string execId = ContainerName.NewId()[..32];
        string folder = Layout.ExecFolder(id, execId);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!, FileModes.OwnerOnlyFolder);
        Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
        var process = ContainerSpec.Build(ContainerSpec.ExecOptions(id, definition, user, options.Command, options.Environment, workingDirectory,
            options.Tty, options.TerminalSize, SpecOptions.HostFileLimit())).Process;
        AtomicFile.Write(Layout.ExecProcessPath(id, execId), process.ToJson());

        string socket = Layout.SocketPath(execId);
        // An exec's output is bounded as its container's: a detached one may write for as long.
        var config = specs.ShimConfigFor(id, options.Interactive, options.Tty, Layout.ExecLogPath(id, execId), Layout.ExecExitPath(id, execId), socket,
            Layout.ExecRunPath(id, execId), LogRotations.Effective(definition.LogRotation));
        config.ExecProcess = Layout.ExecProcessPath(id, execId);
        AttachStream? stream = null;
        try
        {
            context.Shim.Launch(config, Path.Combine(folder, "shim.pb"), [], record.Name, () => stream = ContainerStarter.ConnectWhenListening(socket, request, record.Name));
        }
        catch (ConmanException)
        {
            stream?.Dispose();
            File.Delete(socket);
            Directory.Delete(folder, recursive: true);
            throw;
        }
        return new ExecSession(Layout, id, execId, stream!);
    }
}
