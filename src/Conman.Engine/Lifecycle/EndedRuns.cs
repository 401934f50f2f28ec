using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Lifecycle;

/// <summary>
/// A container's run that ended, or was abandoned, seen from the engine: its shim may still be
/// finishing (undoing the run's host resources, giving its clients the exit), or may have been
/// left waiting by a start whose session died.
/// </summary>
internal sealed class EndedRuns(EngineContext context)
{
    /// <summary>Past the shim's own bound on flushing its clients the exit (2 s), with room.</summary>
    private static readonly TimeSpan ShimFinishWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits (at most <see cref="ShimFinishWait"/>) for the shim of a run that ended: after the
    /// exit record it undoes the run's host resources and gives its clients the exit. Called only
    /// where the container is not Running, so a started run's live shim is one finishing.
    /// </summary>
    /// <returns>The shim the run record names, if any: a shim of a run that never started is not waited for.</returns>
    public ShimIdentity? WaitForFinishingShim(string id)
    {
        if (context.Store.ReadRun(id) is not { Shim: { } shim } run) return null;
        var deadline = DateTime.UtcNow + ShimFinishWait;
        while (run.StartedAt is not null && ProcessIdentity.IsAlive(shim.Pid, shim.StartTime) && DateTime.UtcNow < deadline) Thread.Sleep(2);
        return shim;
    }

    /// <summary>
    /// What an earlier run left that would stop a start or a removal: a shim still waiting for a
    /// client of a start whose session died (killed), a shim still finishing a run that ended
    /// (waited for), a dead shim's container (Unknown), runc's state of either.
    /// </summary>
    public void ClearAbandoned(string id)
    {
        if (WaitForFinishingShim(id) is { } shim && ProcessIdentity.IsAlive(shim.Pid, shim.StartTime)) LibC.kill(shim.Pid, LibC.SIGKILL);
        context.Runtime.Delete(id);
    }
}
