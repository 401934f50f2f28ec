using Conman.Engine.Containers;
using Conman.Engine.Logs;

namespace Conman.Engine.Readiness;

/// <summary>
/// Waits until a container is ready, as Testcontainers' wait strategies: Running, and every
/// condition holding. Each condition, once met, stays met (a log line stays logged; a port that
/// listened did). A container that stops running first, or is not ready in time, is an error
/// carrying its last log lines, which is what a user needs to see why.
/// </summary>
internal sealed class ReadinessWait(ContainerService containers)
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);
    private const int LogLinesInErrors = 10;

    /// <returns>The container once ready; null when <paramref name="cancel"/> fired first.</returns>
    public ContainerSnapshot? Until(string idOrName, IReadOnlyList<ReadinessCondition> conditions, TimeSpan timeout, CancellationToken cancel)
    {
        var container = containers.Get(idOrName);
        if (conditions.OfType<HealthyCondition>().Any() && container.Config.HealthCheck is null) throw ConmanErrors.NoHealthCheck(container.Name);
        var deadline = DateTime.UtcNow + timeout;
        string waitingFor = conditions.Count == 0 ? "it to run" : string.Join(" and ", conditions.Select(c => c.Description));
        EngineTrace.Verbose($"Waiting up to {timeout.TotalSeconds:0.###} s for {waitingFor}.");
        var pending = new List<ReadinessCondition>(conditions);
        while (true)
        {
            if (container.State is not (ContainerState.Running or ContainerState.Created))
            {
                throw ConmanErrors.ExitedBeforeReady(container.Name, StateOf(container), waitingFor, LastLogLines(container));
            }
            if (container.State == ContainerState.Running) pending.RemoveAll(c => c.IsMet(containers, container, cancel));
            if (container.State == ContainerState.Running && pending.Count == 0) return container;
            if (DateTime.UtcNow >= deadline)
            {
                // Never started (a Created container is waited for, as another session may be starting
                // it): its conditions were never checked, so "no listener" would mislead.
                if (container.State == ContainerState.Created) throw ConmanErrors.NotRunningToBeReady(container.Name, timeout);
                throw ConmanErrors.ReadinessTimeout(container.Name, timeout, string.Join(" and ", pending.Select(c => c.Description).DefaultIfEmpty("it to run")),
                    LastLogLines(container));
            }
            if (cancel.WaitHandle.WaitOne(CheckInterval)) return null;
            container = containers.Get(idOrName);
        }
    }

    /// <summary>As Docker's status words it: "Exited (2)", "Unknown: why".</summary>
    private static string StateOf(ContainerSnapshot container) => container switch
    {
        { State: ContainerState.Exited, ExitCode: int code } => $"Exited ({code}){(container.OomKilled ? " OOM-killed" : "")}",
        { State: ContainerState.Unknown } => $"Unknown: {container.StateReason}",
        _ => container.State.ToString(),
    };

    private IReadOnlyList<string> LastLogLines(ContainerSnapshot container) =>
        containers.Logs(container.Id, new LogQuery(Tail: LogLinesInErrors), follow: false).Select(e => e.Text).ToList();
}
