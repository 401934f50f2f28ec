using Conman.Native;

namespace Conman.Tests;

/// <summary>A process known by pid and start time.</summary>
[Trait("Category", "Unit")]
public class ProcessIdentityTests
{
    [Fact]
    public void Process_identity_knows_this_process_and_not_a_dead_one()
    {
        ulong? mine = ProcessIdentity.ReadStartTime(Environment.ProcessId);
        Assert.NotNull(mine);
        Assert.True(ProcessIdentity.IsAlive(Environment.ProcessId, mine.Value));
        Assert.False(ProcessIdentity.IsAlive(Environment.ProcessId, mine.Value + 1));
        Assert.Null(ProcessIdentity.ReadStartTime(int.MaxValue));
    }
}
