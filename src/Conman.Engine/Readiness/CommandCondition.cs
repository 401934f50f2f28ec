using Conman.Engine.Containers;
using Conman.Engine.Shim;
using Conman.Protocol;

namespace Conman.Engine.Readiness;

/// <summary>A command run in the container exits 0 (Testcontainers' Wait.ForSuccessfulCommand; docker's health check command).</summary>
public sealed class CommandCondition(IReadOnlyList<string> command) : ReadinessCondition
{
    public override string Description => $"the command '{string.Join(' ', command)}' to succeed";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        try
        {
            using var exec = containers.Exec(container.Id, new ExecOptions { Command = command }, new AttachOptions());
            using var output = new AttachedOutput(exec.Stream);
            // Its output is not the caller's: drained, so that the command is never held up writing it.
            foreach (var _ in output.UntilEnd(cancel)) { }
            return (output.Exit ?? exec.ReadExit())?.ExitCode == 0;
        }
        catch (ConmanException e) when (e.ErrorId is ErrorIds.ExecFailed or ErrorIds.CommandNotFound or ErrorIds.CommandNotExecutable or ErrorIds.ContainerNotRunning)
        {
            // Not there yet (a command the image gets later), or the container stopped: checked again, or the state says.
            return false;
        }
    }
}
