using Conman.Host;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>The engine's side of the one teardown executor the shim uses too: resources' undo steps, run with .NET's processes.</summary>
internal static class HostUndo
{
    private static readonly TeardownExecutor Executor = new(new EngineProcessRunner());

    /// <summary>Runs the steps; a failing one does not stop the next.</summary>
    /// <exception cref="ConmanException">Something could not be undone (ResourcesNotReleased); it stays for the next removal.</exception>
    /// <param name="earlier">What already failed before any step ran (an undo that could not be said), reported with the steps' failures.</param>
    public static void Run(IEnumerable<TeardownStep> steps, string container, IReadOnlyList<string>? earlier = null)
    {
        var failures = Executor.Run(TeardownSteps.From(steps));
        if (failures.Count > 0 || earlier is { Count: > 0 }) throw ConmanErrors.ResourcesNotReleased(container, [.. earlier ?? [], .. failures]);
    }
}
