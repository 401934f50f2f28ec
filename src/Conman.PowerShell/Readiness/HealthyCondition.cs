using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Supervision;

namespace Conman.Readiness;

/// <summary>
/// The container's health check says Healthy (Testcontainers' Wait.ForHealthcheck): its shim ran
/// the check and recorded the result. Unhealthy is not an end: a check that fails while the
/// service starts may pass later, within the wait's timeout.
/// </summary>
internal sealed class HealthyCondition : ReadinessCondition
{
    public override string Description => "its health check to say Healthy";

    public override bool IsMet(ContainerEngine engine, ContainerSnapshot container, CancellationToken cancel) =>
        container.Health is { Status: HealthStatus.Healthy };
}
