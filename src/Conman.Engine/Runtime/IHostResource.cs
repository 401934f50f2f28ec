using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// Something a start takes on the host for the container (its root filesystem's overlay, its
/// network namespace and networks, its user namespace), with its undo, written once, as teardown
/// steps: the shim runs them once the container has exited (teardown.pb), and the engine runs the
/// same steps through the same executor (<see cref="HostUndo"/>) when a later step of a start
/// fails, at a removal, and before a start for what a killed session or shim left.
/// </summary>
internal interface IHostResource
{
    void Acquire();

    /// <summary>
    /// The steps that undo it: what this start acquired, or, for a resource not acquired by this
    /// object (a removal, a killed start's leftovers), what its traces on the host show. Empty, and
    /// cheap to find so, when there is nothing to undo: it is asked before every start.
    /// </summary>
    IEnumerable<TeardownStep> Undo { get; }

    /// <summary>
    /// What the resource puts in the container's spec (a namespace's path, files bound in): the
    /// spec is the definition's options, then those of its resources. Known from the resource's
    /// place alone, not from its acquisition, so that a live run's spec can be derived again.
    /// </summary>
    IEnumerable<SpecOption> SpecOptions => [];
}
