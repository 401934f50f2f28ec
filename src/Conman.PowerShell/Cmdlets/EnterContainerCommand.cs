using System.Management.Automation;
using Conman.Engine.Shim;
using Conman.Engine.Containers;
using Conman.Errors;
using Conman.Terminal;

namespace Conman.Cmdlets;

/// <summary>
/// Takes over the console for a container, as docker run -it / docker attach do: a Created
/// container is attached and then started, a Running one attached. With a TTY the terminal is
/// raw, every key (Ctrl+C too) goes to the container, resizes follow, and the detach keys
/// (default ctrl-p,ctrl-q) leave it running.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
public sealed class EnterContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [AllowEmptyString]
    public string DetachKeys { get; set; } = Terminal.DetachKeys.Default;

    /// <summary>Run this command in the running container with a terminal (docker exec -it) instead of attaching.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    private InteractiveSession? _session;

    protected override void StopProcessing()
    {
        base.StopProcessing();
        _session?.Stop();
    }

    protected override void ProcessContainer(string idOrName)
    {
        byte[] detachKeys;
        try
        {
            detachKeys = Terminal.DetachKeys.Parse(DetachKeys);
        }
        catch (FormatException e)
        {
            throw CmdletErrors.InvalidDetachKeys(DetachKeys, e.Message);
        }

        var container = Engine.Containers.Get(idOrName);
        string action = Command is not null ? $"Run '{string.Join(' ', Command)}' with a terminal"
            : container.State == ContainerState.Created ? "Start and enter container" : "Enter container";
        if (!ShouldProcess(container.Name, action)) return;
        // Checked before the terminal is taken over; the engine checks again as it attaches.
        if (container.State is not (ContainerState.Created or ContainerState.Running) || (Command is not null && container.State != ContainerState.Running))
        {
            throw CmdletErrors.CannotEnter(container.Name, container.State);
        }

        using var terminal = new PosixTerminal();
        if (!terminal.IsInteractive || Host.Name != "ConsoleHost")
        {
            throw CmdletErrors.NoInteractiveTerminal(idOrName);
        }

        if (Command is not null)
        {
            var options = new ExecOptions { Command = Command, Interactive = true, Tty = true, TerminalSize = terminal.Size };
            using var exec = Engine.Containers.Exec(container.Id, options, AttachOptions.All);
            _session = new InteractiveSession(terminal, exec.Stream, detachKeys, tty: true, forwardInput: true);
            var execEnd = _session.Run();
            if (execEnd == SessionEnd.Detached)
            {
                Host.UI.WriteLine($"Detached from the command in '{container.Name}'; it keeps running.");
            }
            else if ((_session.ExitCode ?? exec.ReadExit()?.ExitCode) is int execCode)
            {
                ReportExitCode(execCode, container.Name);
            }
            else if (exec.LostReason() is { } lost)
            {
                WriteError(ToErrorRecord(CmdletErrors.ExecLost(container.Name, lost)));
            }
            return;
        }

        var (entered, connection) = Engine.Containers.AttachOrStart(container.Id, terminal.Size);
        _session = new InteractiveSession(terminal, connection, detachKeys, entered.Config.Process.Tty, forwardInput: entered.Config.Process.Interactive);
        var end = _session.Run();
        switch (end)
        {
            case SessionEnd.Exited:
                ReportExitCode(_session.ExitCode!.Value, container.Name);
                break;
            case SessionEnd.Detached:
                Host.UI.WriteLine($"Detached from '{container.Name}', which keeps running. Re-enter with: Enter-Container -Name {container.Name}");
                break;
            case SessionEnd.ConnectionLost:
                // The shim's exit frame did not come: the engine says how it ended, from its records.
                ReportAttachEnd(null, container.Id, container.Name);
                break;
        }
    }
}
