using Conman.Host.Supervision;

namespace Conman.Tests;

/// <summary>One run's state as its shim decides it: stops, their SIGKILL, the exit, the end of the drain. Pure: no process.</summary>
[Trait("Category", "Unit")]
public class RunStateTests
{
    private const int SIGTERM = 15, SIGKILL = 9;
    private static readonly DateTime Start = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_run_is_running_until_its_exit_is_reaped()
    {
        var run = new RunState(Start);
        Assert.True(run.IsRunning);
        Assert.Null(run.Exit);

        run.Exited(new ProcessExit(3, null), Start.AddSeconds(2));
        Assert.False(run.IsRunning);
        Assert.Equal(new ProcessExit(3, null), run.Exit);
        Assert.Equal(Start.AddSeconds(2), run.ExitedAtUtc);
        Assert.False(run.StopRequested);
    }

    [Fact]
    public void A_stop_sends_its_signal_now_and_SIGKILL_once_the_grace_period_passed_once()
    {
        var run = new RunState(Start);
        Assert.Equal(SIGTERM, run.RequestStop(SIGTERM, Grace, Start, byClient: true));
        Assert.Equal(Start + Grace, run.KillAtUtc);

        Assert.Null(run.EscalateStop(Start + Grace - TimeSpan.FromTicks(1)));
        Assert.Equal(SIGKILL, run.EscalateStop(Start + Grace));
        Assert.Null(run.KillAtUtc);
        Assert.Null(run.EscalateStop(Start + Grace + Grace));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_stop_without_a_grace_period_is_SIGKILL_at_once(int seconds)
    {
        var run = new RunState(Start);
        Assert.Equal(SIGKILL, run.RequestStop(SIGTERM, TimeSpan.FromSeconds(seconds), Start, byClient: true));
        Assert.Null(run.KillAtUtc);
        Assert.True(run.StopRequested);
    }

    [Theory]
    [InlineData(10, 2, 2)]
    [InlineData(2, 10, 2)]
    [InlineData(10, 10, 10)]
    public void A_second_stop_may_shorten_the_grace_period_never_lengthen_it(int firstSeconds, int secondSeconds, int killAfterSeconds)
    {
        var run = new RunState(Start);
        run.RequestStop(SIGTERM, TimeSpan.FromSeconds(firstSeconds), Start, byClient: true);
        // The second stop sends its signal again, as a second docker stop does.
        Assert.Equal(SIGTERM, run.RequestStop(SIGTERM, TimeSpan.FromSeconds(secondSeconds), Start, byClient: true));
        Assert.Equal(Start.AddSeconds(killAfterSeconds), run.KillAtUtc);
    }

    [Fact]
    public void Only_a_stop_asked_for_through_Conman_is_recorded_as_requested()
    {
        var run = new RunState(Start);
        // The shim's own stop (a health check's restart) is not the user's: the policy still decides.
        Assert.Equal(SIGTERM, run.RequestStop(SIGTERM, Grace, Start, byClient: false));
        Assert.False(run.StopRequested);
        run.RequestStop(SIGTERM, Grace, Start.AddSeconds(1), byClient: true);
        Assert.True(run.StopRequested);
    }

    [Fact]
    public void A_run_that_ended_by_itself_is_not_stopped_while_its_output_drains()
    {
        var run = new RunState(Start);
        run.Exited(new ProcessExit(0, null), Start.AddSeconds(1));
        Assert.Null(run.RequestStop(SIGTERM, Grace, Start.AddSeconds(2), byClient: true));
        Assert.False(run.StopRequested);
        Assert.Null(run.KillAtUtc);
    }

    [Fact]
    public void An_exit_during_a_stop_ends_the_stop_so_no_SIGKILL_follows()
    {
        var run = new RunState(Start);
        run.RequestStop(SIGTERM, Grace, Start, byClient: true);
        run.Exited(new ProcessExit(143, SIGTERM), Start.AddSeconds(1));
        Assert.Null(run.KillAtUtc);
        Assert.Null(run.EscalateStop(Start + Grace));
        Assert.True(run.StopRequested);
    }

    [Fact]
    public void A_wall_clock_stepped_back_never_ends_a_run_before_it_started()
    {
        var run = new RunState(Start);
        run.Exited(new ProcessExit(0, null), Start.AddMinutes(-5));
        Assert.Equal(Start, run.ExitedAtUtc);
    }

    [Theory]
    [InlineData(false, false, 1, false)] // still running
    [InlineData(false, true, 60, false)]
    [InlineData(true, true, 0, true)] // exited, output drained
    [InlineData(true, false, 5, false)] // exited, something still holds its pipes
    [InlineData(true, false, 6, true)] // ... past the drain limit
    public void A_run_is_over_once_it_exited_and_its_output_drained_or_the_drain_limit_passed(bool exited, bool drained, int secondsAfterExit, bool over)
    {
        var run = new RunState(Start);
        var exitedAt = Start.AddSeconds(1);
        if (exited) run.Exited(new ProcessExit(0, null), exitedAt);
        Assert.Equal(over, run.IsOver(exitedAt.AddSeconds(secondsAfterExit), drained));
    }
}
