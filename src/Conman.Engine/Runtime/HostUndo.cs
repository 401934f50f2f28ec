using Conman.Host;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>The engine's side of the one teardown executor the shim uses too: resources' undo steps, run with .NET's processes.</summary>
internal static class HostUndo
{
    private static readonly TeardownExecutor Executor = new(new EngineProcessRunner());

    /// <summary>Runs the steps; a failing one does not stop the next.</summary>
    /// <exception cref="ConmanException">Something could not be undone (ResourcesNotReleased); it stays for the next removal.</exception>
    public static void Run(IEnumerable<TeardownStep> steps, string container)
    {
        var failures = Executor.Run(TeardownSteps.From(steps));
        if (failures.Count > 0) throw ConmanErrors.ResourcesNotReleased(container, failures);
    }
}
