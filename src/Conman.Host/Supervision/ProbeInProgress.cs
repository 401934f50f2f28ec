using Conman.Protocol;

namespace Conman.Host.Supervision;

/// <summary>
/// One health check under way, from its start to its result: when it runs past its timeout (the
/// shim then kills it, and it fails with Docker's message whatever it exits with), and the end of
/// what it printed. Made at each check and dropped with its result, so that between checks the
/// shim holds nothing for it.
/// </summary>
internal sealed class ProbeInProgress(DateTime startedAtUtc, TimeSpan timeout)
{
    public DateTime StartedAtUtc { get; } = startedAtUtc;
    public DateTime DeadlineUtc { get; } = startedAtUtc + timeout;
    public bool TimedOut { get; private set; }
    public ProbeOutputTail Output { get; } = new();

    /// <returns>True once, as the check runs past its timeout: the shim kills it then.</returns>
    public bool TimesOut(DateTime nowUtc)
    {
        if (TimedOut || nowUtc < DeadlineUtc) return false;
        TimedOut = true;
        return true;
    }

    /// <summary>The check's result, once it ended: its exit code and output; -1 and Docker's message when it timed out.</summary>
    /// <param name="exitCode">The check's own, or -1 when it never ran (runc failed: its error is the output).</param>
    /// <param name="failure">Why it could not be started, in place of its output.</param>
    public ShimWire.Probe Result(DateTime nowUtc, int exitCode, string? failure = null) => TimedOut
        ? new ShimWire.Probe(StartedAtUtc, nowUtc, -1, $"Health check exceeded timeout ({timeout.TotalSeconds:0.###} s)")
        : new ShimWire.Probe(StartedAtUtc, nowUtc, exitCode, failure ?? Output.ToString());
}
