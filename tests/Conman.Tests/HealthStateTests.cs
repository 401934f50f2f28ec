using Conman.Host;
using Conman.Host.Supervision;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>
/// A run's health as the shim keeps it (Docker's state machine): the status after each check, the
/// failing streak, the start period, the retries, when the on-failure action is due, the checks
/// kept and when the next is. Pure: checks are given as their results.
/// </summary>
[Trait("Category", "Unit")]
public class HealthStateTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static HealthState Started(int retries = 3, TimeSpan startPeriod = default, HealthFailureAction onFailure = HealthFailureAction.None)
    {
        var health = new HealthState(new HealthCheckOptions("", "", Interval, TimeSpan.FromSeconds(5), startPeriod, retries, onFailure));
        health.RunStarted(Start);
        return health;
    }

    /// <summary>A check that began <paramref name="secondsAfterStart"/> into the run and took a second.</summary>
    private static ShimWire.Probe Check(int exitCode, double secondsAfterStart, string output = "") =>
        new(Start.AddSeconds(secondsAfterStart), Start.AddSeconds(secondsAfterStart + 1), exitCode, output);

    [Fact]
    public void A_run_starts_Starting_and_is_first_checked_an_interval_after_it_started()
    {
        var health = Started();
        Assert.Equal(HealthStatus.Starting, health.Status);
        Assert.Equal(0, health.FailingStreak);
        Assert.Empty(health.Probes);
        Assert.False(health.IsDue(Start + Interval - TimeSpan.FromTicks(1)));
        Assert.True(health.IsDue(Start + Interval));
    }

    [Fact]
    public void The_next_check_is_an_interval_after_the_last_one_ended()
    {
        var health = Started();
        var check = Check(0, 30);
        health.Record(check);
        Assert.Equal(check.FinishedAtUtc + Interval, health.NextCheckAtUtc);
    }

    /// <param name="exitCodes">The checks' exit codes, in order, one every 30 s from the first.</param>
    /// <param name="after">Status and failing streak after each check.</param>
    [Theory]
    [InlineData("0", "Healthy 0")]
    [InlineData("1", "Starting 1")]
    [InlineData("1 1 1", "Starting 1, Starting 2, Unhealthy 3")]
    [InlineData("1 1 0", "Starting 1, Starting 2, Healthy 0")]
    [InlineData("0 1 1 1 1", "Healthy 0, Healthy 1, Healthy 2, Unhealthy 3, Unhealthy 4")]
    [InlineData("1 1 1 0 1", "Starting 1, Starting 2, Unhealthy 3, Healthy 0, Healthy 1")]
    [InlineData("-1 2 127", "Starting 1, Starting 2, Unhealthy 3")]
    public void As_many_failures_in_a_row_as_the_retries_make_it_Unhealthy_and_a_pass_makes_it_Healthy(string exitCodes, string after)
    {
        var health = Started(retries: 3);
        var seen = exitCodes.Split(' ').Select(int.Parse).Select((exitCode, i) =>
        {
            health.Record(Check(exitCode, 30 * (i + 1)));
            return $"{health.Status} {health.FailingStreak}";
        }).ToList();
        Assert.Equal(after, string.Join(", ", seen));
    }

    [Fact]
    public void Failures_that_began_in_the_start_period_do_not_count_while_it_is_Starting()
    {
        var health = Started(retries: 1, startPeriod: TimeSpan.FromSeconds(60));
        health.Record(Check(1, 30));
        Assert.Equal((HealthStatus.Starting, 0), (health.Status, health.FailingStreak));
        // The start period is measured from the run's start to the check's start: one that began at 60 s counts.
        health.Record(Check(1, 60));
        Assert.Equal((HealthStatus.Unhealthy, 1), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void Once_a_check_passed_failures_in_the_start_period_count()
    {
        var health = Started(retries: 1, startPeriod: TimeSpan.FromSeconds(120));
        health.Record(Check(0, 30));
        health.Record(Check(1, 60));
        Assert.Equal((HealthStatus.Unhealthy, 1), (health.Status, health.FailingStreak));
    }

    [Fact]
    public void The_on_failure_action_is_due_when_the_run_turns_Unhealthy_not_at_every_failure_after()
    {
        var health = Started(retries: 2, onFailure: HealthFailureAction.Restart);
        var actions = new[] { 1, 1, 1, 0, 1, 1 }.Select((exitCode, i) => health.Record(Check(exitCode, 30 * (i + 1)))).ToArray();
        Assert.Equal(
        [
            HealthFailureAction.None, HealthFailureAction.Restart, HealthFailureAction.None,
            HealthFailureAction.None, HealthFailureAction.None, HealthFailureAction.Restart,
        ], actions);
    }

    [Fact]
    public void Without_an_on_failure_action_turning_Unhealthy_asks_for_none()
    {
        var health = Started(retries: 1);
        Assert.Equal(HealthFailureAction.None, health.Record(Check(1, 30)));
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }

    [Fact]
    public void The_last_5_checks_are_kept_oldest_first()
    {
        var health = Started();
        for (int i = 1; i <= 7; i++) health.Record(Check(0, 30 * i, output: $"check {i}"));
        Assert.Equal(["check 3", "check 4", "check 5", "check 6", "check 7"], health.Probes.Select(p => p.Output));
    }

    [Fact]
    public void A_new_run_starts_its_health_over()
    {
        var health = Started(retries: 1);
        health.Record(Check(1, 30));
        Assert.Equal(HealthStatus.Unhealthy, health.Status);

        var next = Start.AddMinutes(5);
        health.RunStarted(next);
        Assert.Equal((HealthStatus.Starting, 0), (health.Status, health.FailingStreak));
        Assert.Empty(health.Probes);
        Assert.Equal(next, health.RunStartedAtUtc);
        Assert.Equal(next + Interval, health.NextCheckAtUtc);
    }
}
