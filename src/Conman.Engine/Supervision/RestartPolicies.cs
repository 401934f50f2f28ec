using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Engine.Supervision;

/// <summary>
/// A container's restart policy between its three forms: the engine's enum, the definition's
/// record, the shim's command line (Docker's syntax, <see cref="RestartRule"/>); and which
/// containers a boot brings back (<see cref="ShouldRestore"/>).
/// </summary>
internal static class RestartPolicies
{
    /// <summary>Checked at create: a retry count only with OnFailure (Docker's rule), and never negative.</summary>
    /// <returns>Null for No: the definition keeps nothing.</returns>
    public static ContainerRestartPolicy? Resolve(RestartPolicy policy, int? maximumRetryCount)
    {
        if (maximumRetryCount is int count)
        {
            if (policy != RestartPolicy.OnFailure) throw ConmanErrors.InvalidRestartPolicy(policy.ToString(), "a maximum retry count goes only with the OnFailure policy");
            if (count < 0) throw ConmanErrors.InvalidRestartPolicy(count.ToString(System.Globalization.CultureInfo.InvariantCulture), "the most restarts may not be negative (0: no maximum)");
        }
        if (policy == RestartPolicy.No) return null;
        return new ContainerRestartPolicy { Mode = ToMode(policy), MaximumRetryCount = maximumRetryCount ?? 0 };
    }

    public static RestartPolicy From(ContainerRestartPolicy? policy) => policy?.Mode switch
    {
        RestartMode.OnFailure => RestartPolicy.OnFailure,
        RestartMode.Always => RestartPolicy.Always,
        RestartMode.UnlessStopped => RestartPolicy.UnlessStopped,
        _ => RestartPolicy.No,
    };

    /// <summary>
    /// Whether a boot (or a host whose shims all died) brings the container back, as Docker's
    /// daemon does at its start: Always whenever it is not running; UnlessStopped unless a stop
    /// through Conman ended it; OnFailure when it was running as everything went down (Unknown:
    /// its shim is gone without an exit record).
    /// </summary>
    public static bool ShouldRestore(ContainerSnapshot container) => container.Config.Lifetime.RestartPolicy switch
    {
        RestartPolicy.Always => container.State is ContainerState.Unknown or ContainerState.Exited,
        RestartPolicy.UnlessStopped => container.State == ContainerState.Unknown || (container.State == ContainerState.Exited && !container.StopRequested),
        RestartPolicy.OnFailure => container.State == ContainerState.Unknown,
        _ => false,
    };

    private static RestartMode ToMode(RestartPolicy policy) => policy switch
    {
        RestartPolicy.OnFailure => RestartMode.OnFailure,
        RestartPolicy.Always => RestartMode.Always,
        RestartPolicy.UnlessStopped => RestartMode.UnlessStopped,
        _ => RestartMode.No,
    };
}
