using Conman.Engine.Containers;

namespace Conman.Engine.Readiness;

/// <summary>
/// One thing <see cref="ContainerService.WaitUntilReady"/> (Wait-ContainerReady) waits for, as a
/// Testcontainers wait strategy: checked again and again while the container runs, until it
/// holds. The kinds are this folder's; a new one is one more subclass here and one more
/// parameter of the cmdlet.
/// </summary>
public abstract class ReadinessCondition
{
    /// <summary>What is waited for, in the words of the timeout's message ("a log line matching 'ready'").</summary>
    public abstract string Description { get; }

    /// <summary>Whether it holds now for the running container; never blocks for long.</summary>
    internal abstract bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel);
}
