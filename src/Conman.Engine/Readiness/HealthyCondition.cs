using Conman.Engine.Containers;
using Conman.Engine.Supervision;

namespace Conman.Engine.Readiness;

/// <summary>
/// The container's health check says Healthy (Testcontainers' Wait.ForHealthcheck): its shim ran
/// the check and recorded the result. Unhealthy is not an end: a check that fails while the
/// service starts may pass later, within the wait's timeout.
/// </summary>
public sealed class HealthyCondition : ReadinessCondition
{
    public override string Description => "its health check to say Healthy";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel) =>
        container.Health is { Status: HealthStatus.Healthy };
}
