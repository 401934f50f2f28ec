using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>
/// The Status column of Get-Container (Conman.Container.Status), as Docker's ps words it. Each
/// time sits in the middle of its unit, so that a slow run does not move it to the next.
/// </summary>
[Trait("Category", "Unit")]
public class ContainerStatusTests
{
    [Theory]
    [InlineData(ContainerState.Running, 3.5, null, null, null, "Up 3 minutes")]
    [InlineData(ContainerState.Running, 90.0, null, null, null, "Up 1 hour")]
    [InlineData(ContainerState.Running, 3.5 * 24 * 60, null, null, null, "Up 3 days")]
    [InlineData(ContainerState.Exited, 60.0, 2.5 * 60, 4, null, "Exited (4) 2 hours ago")]
    [InlineData(ContainerState.Exited, 40.0, 30.5, 137, null, "Exited (137) 30 minutes ago")]
    [InlineData(ContainerState.Created, null, null, null, null, "Created")]
    [InlineData(ContainerState.Unknown, 5.0, null, null, "its shim (pid 7) died without recording how the container ended",
        "Unknown: its shim (pid 7) died without recording how the container ended")]
    [InlineData(ContainerState.Removing, 5.0, 1.0, 0, "its removal began and did not finish", "Removing")]
    public void Status_says_how_long_it_has_run_or_since_when_it_exited(ContainerState state, double? startedMinutesAgo,
        double? finishedMinutesAgo, int? exitCode, string? reason, string status)
    {
        var container = new Container(Snapshot(state, MinutesAgo(startedMinutesAgo), MinutesAgo(finishedMinutesAgo), exitCode, reason));
        Assert.Equal(status, container.Status);
    }

    [Fact]
    public void Without_the_time_it_needs_Status_is_the_state()
    {
        Assert.Equal("Running", new Container(Snapshot(ContainerState.Running, null, null, null, null)).Status);
        Assert.Equal("Exited", new Container(Snapshot(ContainerState.Exited, null, null, 0, null)).Status);
    }

    [Fact]
    public void An_OOM_kill_is_in_the_status() =>
        Assert.Equal("Exited (137) OOM-killed 30 minutes ago",
            new Container(Snapshot(ContainerState.Exited, MinutesAgo(40), MinutesAgo(30.5), 137, null) with { OomKilled = true }).Status);

    private static DateTimeOffset? MinutesAgo(double? minutes) => minutes is { } m ? DateTimeOffset.Now.AddMinutes(-m) : null;

    private static ContainerSnapshot Snapshot(ContainerState state, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, int? exitCode, string? reason) =>
        new(new string('a', 64), "web", DateTimeOffset.Now.AddDays(-5),
            new ContainerConfig("/rootfs", "", "", new ProcessConfig { Command = ["sleep", "300"], WorkingDirectory = "/", Hostname = "web" }, new StorageConfig(),
                new SecurityConfig(), new NetworkConfig(), ContainerLimits.None, HealthCheck: null, new LifetimeConfig(), new LogConfig()),
            state, Pid: state == ContainerState.Running ? 42 : null, startedAt, finishedAt, exitCode, Signal: null, StopRequested: false,
            reason, "/var/lib/conman/containers/a/container.log", LostLogBytes: 0);
}
