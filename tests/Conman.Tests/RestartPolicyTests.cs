using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Resources;
using Conman.Engine.Supervision;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>The restart decision the shim makes (Docker's), and which containers a boot brings back: pure, no shim.</summary>
[Trait("Category", "Unit")]
public class RestartPolicyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void The_delay_starts_at_100ms_and_doubles_up_to_a_minute()
    {
        var rule = new RestartRule(RestartMode.Always, 0);
        var delay = TimeSpan.Zero;
        var delays = new List<double>();
        for (int restarts = 0; restarts < 12; restarts++)
        {
            var decision = rule.Decide(1, stopRequested: false, restarts, Short, delay);
            Assert.True(decision.Restart);
            delay = decision.Delay;
            delays.Add(delay.TotalMilliseconds);
        }
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000], delays);
    }

    [Fact]
    public void A_run_of_ten_seconds_resets_the_delay() =>
        Assert.Equal(RestartRule.FirstDelay, new RestartRule(RestartMode.Always, 0).Decide(1, false, 7, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)).Delay);

    [Theory]
    [InlineData(RestartMode.No, 1, false, 0, false)]
    [InlineData(RestartMode.Always, 0, false, 0, true)]
    [InlineData(RestartMode.Always, 1, true, 0, false)]
    [InlineData(RestartMode.UnlessStopped, 0, false, 0, true)]
    [InlineData(RestartMode.UnlessStopped, 143, true, 0, false)]
    [InlineData(RestartMode.OnFailure, 0, false, 0, false)]
    [InlineData(RestartMode.OnFailure, 3, false, 2, true)]
    [InlineData(RestartMode.OnFailure, 3, false, 3, false)]
    [InlineData(RestartMode.OnFailure, 137, true, 0, false)]
    public void Whether_a_run_is_followed_by_another(object mode, int exitCode, bool stopRequested, int restarts, bool restart) =>
        // object: the mode's type is Conman.Protocol's, internal to the test's public method.
        Assert.Equal(restart, new RestartRule((RestartMode)mode, (RestartMode)mode == RestartMode.OnFailure ? 3 : 0).Decide(exitCode, stopRequested, restarts, Short, TimeSpan.Zero).Restart);

    [Fact]
    public void OnFailure_without_a_maximum_restarts_for_ever() =>
        Assert.True(new RestartRule(RestartMode.OnFailure, 0).Decide(1, false, 10_000, Short, TimeSpan.FromMinutes(1)).Restart);

    [Fact]
    public void A_retry_count_goes_only_with_OnFailure_and_is_never_negative()
    {
        Assert.Equal(ErrorIds.InvalidRestartPolicy, Assert.Throws<ConmanException>(() => RestartPolicies.Resolve(RestartPolicy.Always, 3)).ErrorId);
        Assert.Equal(ErrorIds.InvalidRestartPolicy, Assert.Throws<ConmanException>(() => RestartPolicies.Resolve(RestartPolicy.OnFailure, -1)).ErrorId);
        Assert.Null(RestartPolicies.Resolve(RestartPolicy.No, null));
        Assert.Equal(new ContainerRestartPolicy { Mode = RestartMode.OnFailure, MaximumRetryCount = 3 }, RestartPolicies.Resolve(RestartPolicy.OnFailure, 3));
    }

    [Theory]
    [InlineData(RestartPolicy.Always, ContainerState.Unknown, false, true)]
    [InlineData(RestartPolicy.Always, ContainerState.Exited, true, true)]
    [InlineData(RestartPolicy.Always, ContainerState.Created, false, false)]
    [InlineData(RestartPolicy.Always, ContainerState.Running, false, false)]
    [InlineData(RestartPolicy.UnlessStopped, ContainerState.Unknown, false, true)]
    [InlineData(RestartPolicy.UnlessStopped, ContainerState.Exited, true, false)]
    [InlineData(RestartPolicy.UnlessStopped, ContainerState.Exited, false, true)]
    [InlineData(RestartPolicy.OnFailure, ContainerState.Unknown, false, true)]
    [InlineData(RestartPolicy.OnFailure, ContainerState.Exited, false, false)]
    [InlineData(RestartPolicy.No, ContainerState.Unknown, false, false)]
    public void A_boot_brings_back_what_the_policy_says(RestartPolicy policy, ContainerState state, bool stopRequested, bool restored)
    {
        var config = new ContainerConfig("/rootfs", "", "", new ProcessConfig { Command = ["sleep", "1"] }, new StorageConfig(), new SecurityConfig(),
            new NetworkConfig(), ContainerLimits.None, HealthCheck: null, new LifetimeConfig { RestartPolicy = policy }, new LogConfig());
        var container = new ContainerSnapshot(new string('a', 64), "c", DateTimeOffset.Now, config, state, null, null, null, null, null,
            stopRequested, null, "/log", 0);
        Assert.Equal(restored, RestartPolicies.ShouldRestore(container));
    }
}
