using Conman.Engine.Containers;

namespace Conman.Engine.Readiness;

/// <summary>
/// Anything else the caller can tell from the running container (Testcontainers' custom wait
/// strategy): a predicate asked again at each check until it returns true. Wait-ContainerReady
/// -Condition makes one of a script block. It runs on the waiting thread.
/// </summary>
/// <param name="description">What it waits for, in the words of the timeout's message.</param>
/// <param name="isMet">Whether it holds now for the running container; never blocks for long.</param>
public sealed class PredicateCondition(string description, Func<ContainerSnapshot, bool> isMet) : ReadinessCondition
{
    public override string Description => description;

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel) => isMet(container);
}
