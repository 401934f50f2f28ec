using Conman.Engine;
using Conman.Engine.Shim;
using Conman.Errors;
using Conman.Engine.Readiness;

namespace Conman.Tests;

/// <summary>The pure parts of what scripts rely on (issue 12): exit codes of a command that cannot start, the listener check.</summary>
[Trait("Category", "Unit")]
public class ScriptingTests
{
    [Theory]
    [InlineData("runc run failed: unable to start container process: exec: \"/no/such\": stat /no/such: no such file or directory", 127)]
    [InlineData("runc run failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH", 127)]
    [InlineData("runc run failed: unable to start container process: exec: \"/etc\": permission denied", 126)]
    [InlineData("exec failed: unable to start container process: exec: \"/bin/arm-only\": exec format error", 126)]
    public void A_command_that_cannot_start_is_an_error_of_its_own_with_dockers_exit_code(string runcMessage, int exitCode)
    {
        foreach (bool exec in new[] { false, true })
        {
            var error = StartFailure.Of(runcMessage, "c", exec);
            Assert.Equal(exitCode == 127 ? ErrorIds.CommandNotFound : ErrorIds.CommandNotExecutable, error.ErrorId);
            Assert.Equal("c", error.Target);
            Assert.Contains(runcMessage, error.Message);
            Assert.Equal(exitCode, StartFailureExitCode.For(error));
        }
    }

    [Fact]
    public void A_failure_that_is_not_the_commands_is_the_runtimes_and_gets_no_exit_code()
    {
        const string Message = "runc run failed: cgroup: operation not permitted";
        Assert.Equal(ErrorIds.ContainerCreateFailed, StartFailure.Of(Message, "c", exec: false).ErrorId);
        Assert.Equal(ErrorIds.ExecFailed, StartFailure.Of(Message, "c", exec: true).ErrorId);
        Assert.Null(StartFailureExitCode.For(StartFailure.Of(Message, "c", exec: false)));
        Assert.Null(StartFailureExitCode.For(ConmanErrors.ContainerNotFound("c")));
    }

    private const string Tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 00000000:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n" +
        "   1: 0100007F:1F90 0100007F:D2C4 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n";

    private const string Tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue\n" +
        "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000\n";

    [Fact]
    public void A_port_is_ready_when_a_socket_listens_on_it_in_either_table()
    {
        Assert.True(ListeningPortCondition.IsListening(Tcp, 7000));   // 0x1B58, LISTEN
        Assert.False(ListeningPortCondition.IsListening(Tcp, 8080));  // 0x1F90, but an established connection
        Assert.True(ListeningPortCondition.IsListening(Tcp6, 80));
        Assert.False(ListeningPortCondition.IsListening("", 80));
    }
}
