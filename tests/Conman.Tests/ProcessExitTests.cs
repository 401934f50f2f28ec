using Conman.Host.Supervision;

namespace Conman.Tests;

/// <summary>How the shim reads a reaped process's wait status: exit N is N, killed by signal S is 128+S. Pure.</summary>
[Trait("Category", "Unit")]
public class ProcessExitTests
{
    private const int CoreDumped = 0x80;

    [Theory]
    [InlineData(0 << 8, 0, null)]
    [InlineData(1 << 8, 1, null)]
    [InlineData(42 << 8, 42, null)]
    [InlineData(255 << 8, 255, null)]
    [InlineData(2, 130, 2)] // SIGINT
    [InlineData(9, 137, 9)] // SIGKILL: a stop's escalation, an OOM kill
    [InlineData(15, 143, 15)] // SIGTERM: a stop's first signal
    [InlineData(11 | CoreDumped, 139, 11)] // SIGSEGV with a core dump: the dump is not part of the signal
    [InlineData(64, 192, 64)] // the last real-time signal
    public void An_exit_code_is_its_own_and_a_signal_is_128_plus_its_number(int waitStatus, int exitCode, int? signal) =>
        Assert.Equal(new ProcessExit(exitCode, signal), ProcessExit.FromWaitStatus(waitStatus));
}
