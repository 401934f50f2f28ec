using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Readiness;

/// <summary>
/// One thing Wait-ContainerReady waits for, as a Testcontainers wait strategy: checked again and
/// again while the container runs, until it holds. A new kind of readiness (a health check's
/// Healthy, say) is one more subclass and one more parameter of the cmdlet.
/// </summary>
internal abstract class ReadinessCondition
{
    /// <summary>What is waited for, in the words of the timeout's message ("a log line matching 'ready'").</summary>
    public abstract string Description { get; }

    /// <summary>Whether it holds now for the running container; never blocks for long.</summary>
    public abstract bool IsMet(ContainerEngine engine, ContainerSnapshot container, CancellationToken cancel);
}
