using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>Resources acquired so far by a start, in order; unwound in reverse when the start fails.</summary>
internal sealed class AcquiredResources(string container)
{
    private readonly List<IHostResource> _acquired = [];

    /// <summary>Acquires each in order; a failure releases those already acquired, in reverse, and rethrows.</summary>
    public static AcquiredResources Acquire(IEnumerable<IHostResource> resources, string container)
    {
        var acquired = new AcquiredResources(container);
        try
        {
            foreach (var resource in resources)
            {
                resource.Acquire();
                acquired._acquired.Add(resource);
            }
        }
        catch
        {
            acquired.Unwind();
            throw;
        }
        return acquired;
    }

    public TeardownPlan TeardownPlan() => PlanFor(_acquired);

    /// <summary>What was acquired, in order: what the spec takes its resources' options from.</summary>
    public IReadOnlyList<IHostResource> Resources => _acquired;

    /// <summary>The acquired resource of that kind, for a step the start completes later (a user namespace's staging).</summary>
    public T? Find<T>() where T : class, IHostResource => _acquired.OfType<T>().FirstOrDefault();

    /// <summary>What undoes these resources: the reverse of acquisition, as any unwinding.</summary>
    public static TeardownPlan PlanFor(IReadOnlyList<IHostResource> resources)
    {
        var plan = new TeardownPlan();
        for (int i = resources.Count - 1; i >= 0; i--) plan.Steps.AddRange(resources[i].Undo);
        return plan;
    }

    /// <summary>
    /// Releases every acquired resource, the last acquired first, after a failed start. Best
    /// effort: the start's own error is what the user must see, and Remove-Container releases
    /// whatever is left again.
    /// </summary>
    public void Unwind()
    {
        try
        {
            ReleaseAll(_acquired, container);
        }
        catch (ConmanException)
        {
        }
    }

    /// <summary>
    /// Releases each, the last first, through the one executor; a failing step does not stop the
    /// others, nor a resource whose undo cannot even be said (a plugin gone from the host).
    /// </summary>
    /// <exception cref="ConmanException">Something stayed (ResourcesNotReleased).</exception>
    public static void ReleaseAll(IReadOnlyList<IHostResource> resources, string container)
    {
        var steps = new List<TeardownStep>();
        var unknown = new List<string>();
        for (int i = resources.Count - 1; i >= 0; i--)
        {
            try
            {
                steps.AddRange(resources[i].Undo);
            }
            catch (Exception e) when (e is ConmanException or IOException)
            {
                unknown.Add(e.Message);
            }
        }
        HostUndo.Run(steps, container, unknown);
    }
}
