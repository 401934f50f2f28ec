using Conman.Host.Supervision;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>
/// The restart schedule a shim keeps across its runs: when the next run is due, the backoff
/// carried from run to run, the count, and what cancels a restart (a stop between runs, the
/// shim's own end) or forces one (a health check's). Pure: runs are <see cref="RunState"/>s.
/// </summary>
[Trait("Category", "Unit")]
public class RestartScheduleTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    /// <summary>A run that started at <paramref name="startedAt"/> and exited after <paramref name="ranFor"/>.</summary>
    private static RunState Ended(int exitCode, TimeSpan ranFor, DateTime? startedAt = null, bool stoppedByClient = false)
    {
        var run = new RunState(startedAt ?? Start);
        if (stoppedByClient) run.RequestStop(15, TimeSpan.FromSeconds(10), run.StartedAtUtc, byClient: true);
        run.Exited(new ProcessExit(exitCode, null), run.StartedAtUtc + ranFor);
        return run;
    }

    [Fact]
    public void Without_a_policy_no_run_follows()
    {
        var schedule = new RestartSchedule(default);
        Assert.False(schedule.ScheduleAfter(Ended(1, Short), Start + Short));
        Assert.Null(schedule.DueAtUtc);
        Assert.Equal(0, schedule.Count);
    }

    [Fact]
    public void The_next_run_is_due_after_the_backoff_and_counts_as_a_restart()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        var now = Start + Short;
        Assert.True(schedule.ScheduleAfter(Ended(0, Short), now));
        Assert.Equal(now + RestartRule.FirstDelay, schedule.DueAtUtc);
        Assert.False(schedule.IsDue(now + RestartRule.FirstDelay - TimeSpan.FromTicks(1)));
        Assert.True(schedule.IsDue(now + RestartRule.FirstDelay));

        Assert.Equal(1, schedule.BeginNextRun());
        Assert.Null(schedule.DueAtUtc);
        Assert.False(schedule.IsDue(now + TimeSpan.FromHours(1)));
        Assert.Equal(1, schedule.Count);
    }

    [Fact]
    public void The_backoff_doubles_from_run_to_run_and_starts_over_after_a_run_of_ten_seconds()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        var delays = new List<double>();
        var now = Start;
        foreach (var ranFor in new[] { Short, Short, Short, TimeSpan.FromSeconds(10), Short })
        {
            var run = Ended(1, ranFor, startedAt: now);
            now = run.ExitedAtUtc;
            Assert.True(schedule.ScheduleAfter(run, now));
            delays.Add((schedule.DueAtUtc!.Value - now).TotalMilliseconds);
            now = schedule.DueAtUtc.Value;
            schedule.BeginNextRun();
        }
        Assert.Equal([100, 200, 400, 100, 200], delays);
        Assert.Equal(5, schedule.Count);
    }

    [Fact]
    public void OnFailure_stops_restarting_once_its_retries_are_used()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.OnFailure, 2));
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start));
        schedule.BeginNextRun();
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start));
        schedule.BeginNextRun();
        Assert.False(schedule.ScheduleAfter(Ended(1, Short), Start));
        Assert.Equal(2, schedule.Count);
    }

    [Fact]
    public void A_run_stopped_through_Conman_is_not_restarted()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        Assert.False(schedule.ScheduleAfter(Ended(143, Short, stoppedByClient: true), Start + Short));
        Assert.Null(schedule.DueAtUtc);
    }

    [Fact]
    public void A_stop_between_runs_cancels_the_next_run()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start + Short));

        Assert.True(schedule.CancelNextRun());
        Assert.Null(schedule.DueAtUtc);
        Assert.False(schedule.IsDue(Start + TimeSpan.FromHours(1)));
        Assert.True(schedule.StoppedBetweenRuns);
        Assert.Equal(0, schedule.Count);
        // The supervisor asks again once nothing is due: the answer stays no.
        Assert.False(schedule.ScheduleAfter(Ended(1, Short), Start + Short));
    }

    [Fact]
    public void A_stop_while_a_run_runs_is_that_runs_not_the_schedules()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        Assert.False(schedule.CancelNextRun());
        Assert.False(schedule.StoppedBetweenRuns);
    }

    [Fact]
    public void The_shims_own_end_makes_the_current_run_the_last()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        schedule.EndAfterThisRun();
        // The run it passed SIGTERM to ends as a crash would: still no run follows.
        Assert.False(schedule.ScheduleAfter(Ended(143, Short), Start + Short));
        Assert.Null(schedule.DueAtUtc);
    }

    /// <summary>
    /// As at a shutdown during a restart's backoff: no run follows, and the last run's exit record
    /// does not say stop_requested, so that a boot's Restore-Container brings an UnlessStopped
    /// container back, as Docker's daemon does (only a stop through Conman keeps it down).
    /// </summary>
    [Fact]
    public void The_shims_own_end_between_runs_cancels_the_next_run_but_is_not_a_stop_asked_for()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.UnlessStopped, 0));
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start + Short));
        schedule.EndAfterThisRun();
        Assert.Null(schedule.DueAtUtc);
        Assert.False(schedule.ScheduleAfter(Ended(1, Short), Start + Short));
        Assert.False(schedule.StoppedBetweenRuns);
    }

    [Theory]
    [InlineData(RestartMode.No, 0)]
    [InlineData(RestartMode.OnFailure, 0)]
    [InlineData(RestartMode.Always, 137)]
    public void A_health_checks_restart_runs_the_container_again_at_once_whatever_the_policy(object mode, int exitCode)
    {
        // object: the mode's type is Conman.Protocol's, internal to the test's public method.
        var schedule = new RestartSchedule(new RestartRule((RestartMode)mode, 0));
        schedule.RestartWhenRunEnds();
        var now = Start + Short;
        Assert.True(schedule.ScheduleAfter(Ended(exitCode, Short), now));
        Assert.Equal(now, schedule.DueAtUtc);
        Assert.Equal(1, schedule.BeginNextRun());
    }

    [Fact]
    public void A_health_checks_restart_is_for_one_run_and_leaves_the_backoff_as_it_was()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start));
        schedule.BeginNextRun();
        schedule.RestartWhenRunEnds();
        Assert.True(schedule.ScheduleAfter(Ended(143, Short), Start));
        Assert.Equal(Start, schedule.DueAtUtc);
        schedule.BeginNextRun();
        // The next end is the policy's again, with the backoff where the policy left it (100 ms, doubled).
        Assert.True(schedule.ScheduleAfter(Ended(1, Short), Start));
        Assert.Equal(Start + 2 * RestartRule.FirstDelay, schedule.DueAtUtc);

        var noPolicy = new RestartSchedule(default);
        noPolicy.RestartWhenRunEnds();
        Assert.True(noPolicy.ScheduleAfter(Ended(143, Short), Start));
        noPolicy.BeginNextRun();
        Assert.False(noPolicy.ScheduleAfter(Ended(1, Short), Start));
    }

    /// <summary>
    /// Stop-Container while the health check's restart is stopping the run (its SIGTERM's grace
    /// period): the user's stop wins, as it does over any policy, and the container stays down.
    /// </summary>
    [Fact]
    public void A_stop_through_Conman_during_a_health_checks_restart_is_not_followed_by_a_run()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.No, 0));
        schedule.RestartWhenRunEnds();
        Assert.False(schedule.ScheduleAfter(Ended(143, Short, stoppedByClient: true), Start + Short));
        Assert.Null(schedule.DueAtUtc);
        Assert.Equal(0, schedule.Count);
    }

    [Fact]
    public void The_shims_own_end_overrides_a_health_checks_restart()
    {
        var schedule = new RestartSchedule(new RestartRule(RestartMode.Always, 0));
        schedule.RestartWhenRunEnds();
        schedule.EndAfterThisRun();
        Assert.False(schedule.ScheduleAfter(Ended(143, Short), Start));
    }
}
