using Conman.Engine.Sessions;

namespace Conman.Tests;

/// <summary>The session label's value: what a resource tied to a session names, and when that session has ended.</summary>
[Trait("Category", "Unit")]
public class SessionIdTests
{
    [Fact]
    public void This_process_is_a_session_that_has_not_ended_and_reads_back_from_its_label()
    {
        var current = SessionId.Current;
        Assert.Equal(Environment.ProcessId, current.Pid);
        Assert.False(current.HasEnded);
        Assert.Equal(current, SessionId.Parse(current.ToString()));
    }

    [Fact]
    public void A_reused_pid_with_another_start_time_is_an_ended_session()
    {
        var current = SessionId.Current;
        Assert.True((current with { StartTime = current.StartTime + 1 }).HasEnded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0:5")]
    [InlineData("-3:5")]
    [InlineData("12:x")]
    [InlineData("1:2:3")]
    public void A_label_written_by_hand_names_no_session(string label) => Assert.Null(SessionId.Parse(label));
}
