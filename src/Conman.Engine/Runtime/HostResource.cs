using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// Something a start takes on the host for the container (its root filesystem's overlay today; a
/// network namespace, cgroup settings, hooks tomorrow), with its undo. A start acquires the
/// container's resources in order and, when a later step fails, releases the acquired ones in
/// reverse; Remove-Container releases them all; what must go when the container exits, with no
/// session alive, the resource declares as teardown steps that the shim runs.
/// </summary>
internal interface IHostResource
{
    void Acquire();

    /// <summary>Undoes <see cref="Acquire"/>; idempotent, and harmless for a resource never acquired.</summary>
    void Release();

    /// <summary>What the shim undoes once the container has exited and its exit record is safe.</summary>
    IEnumerable<TeardownStep> AtExit { get; }
}

/// <summary>The container's root filesystem: its layers under an overlay, writes to its own upper layer.</summary>
internal sealed class OverlayRootFs(IReadOnlyList<string> lowers, string upper, string work, string merged, string linkFolder) : IHostResource
{
    public string Merged => merged;

    public void Acquire() => RootFsOverlay.Mount(lowers, upper, work, merged, linkFolder);

    public void Release() => RootFsOverlay.Unmount(merged);

    public IEnumerable<TeardownStep> AtExit => [new TeardownStep { Unmount = merged }];
}

/// <summary>Resources acquired so far by a start, in order; unwound in reverse when the start fails.</summary>
internal sealed class AcquiredResources
{
    private readonly List<IHostResource> _acquired = [];

    /// <summary>Acquires each in order; a failure releases those already acquired, in reverse, and rethrows.</summary>
    public static AcquiredResources Acquire(IEnumerable<IHostResource> resources)
    {
        var acquired = new AcquiredResources();
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

    public TeardownPlan TeardownPlan()
    {
        var plan = new TeardownPlan();
        // The reverse of acquisition, as any unwinding.
        for (int i = _acquired.Count - 1; i >= 0; i--) plan.Steps.AddRange(_acquired[i].AtExit);
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
            ReleaseAll(_acquired);
        }
        catch (Exception e) when (e is ConmanException or IOException or AggregateException)
        {
        }
    }

    /// <summary>Releases each, the last first; a failing release does not stop the others, and is thrown after them.</summary>
    public static void ReleaseAll(IReadOnlyList<IHostResource> resources)
    {
        List<Exception>? failures = null;
        for (int i = resources.Count - 1; i >= 0; i--)
        {
            try
            {
                resources[i].Release();
            }
            catch (Exception e) when (e is ConmanException or IOException)
            {
                (failures ??= []).Add(e);
            }
        }
        if (failures is [var only]) throw only;
        if (failures is not null) throw new AggregateException(failures);
    }
}
