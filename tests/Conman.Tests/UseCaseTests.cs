using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Readiness;
using Conman.Engine.Supervision;

namespace Conman.Tests;

/// <summary>
/// What Invoke-Container, Enter-Container and Wait-ContainerReady do, reached from C# as the
/// engine's use cases (docker run, docker attach / start -a, Testcontainers' waits), with no
/// PowerShell in between.
/// </summary>
public class UseCaseTests(RootFsFixture fixture) : EngineTest(fixture)
{
    private ContainerOptions Options(bool interactive, params string[] command) =>
        new() { RootFs = RootFs, Process = new() { Command = command, Interactive = interactive } };

    [Fact]
    public void Run_feeds_stdin_gives_the_output_and_exit_code_and_removes_the_container()
    {
        using var run = Engine.Containers.Run(Options(interactive: true, "sh", "-c", "while read l; do echo got $l; done; echo bye >&2; exit 3"), new RunOptions());
        run.Output.Stream.WriteStdin("a\nb\n"u8.ToArray());
        run.Output.Stream.CloseStdin();
        var lines = run.Output.UntilEnd(CancellationToken.None).ToList();
        Assert.Equal([(false, "got a"), (false, "got b"), (true, "bye")], lines.Select(l => (l.IsStderr, l.Text)));
        var end = run.Finish(run.Output.Exit);
        Assert.Equal(3, end.Attach.ExitCode);
        Assert.False(end.TimedOut);
        Assert.Null(end.NotRemoved);
        Assert.Equal(ErrorIds.ContainerNotFound, Assert.Throws<ConmanException>(() => Engine.Containers.Get(run.Container.Id)).ErrorId);
    }

    [Fact]
    public void Run_kills_at_its_timeout_and_keeps_what_it_is_told_to_keep()
    {
        using var run = Engine.Containers.Run(Options(interactive: false, "sleep", "60"), new RunOptions(Keep: true, Timeout: TimeSpan.FromMilliseconds(300)));
        _ = run.Output.UntilEnd(CancellationToken.None).ToList();
        var end = run.Finish(run.Output.Exit);
        Assert.True(end.TimedOut);
        Assert.Equal(137, end.Attach.ExitCode);
        Assert.Equal(ContainerState.Exited, Engine.Containers.Get(run.Container.Id).State);
    }

    [Fact]
    public void Run_takes_a_timeout_longer_than_one_timer_waits_and_removes_the_container()
    {
        // Invoke-Container -Timeout 5000000: 58 days, past the 49.7 days a .NET timer waits at once.
        using var run = Engine.Containers.Run(Options(interactive: false, "echo", "hi"), new RunOptions(Timeout: TimeSpan.FromDays(58)));
        Assert.Equal(["hi"], run.Output.UntilEnd(CancellationToken.None).Select(l => l.Text));
        var end = run.Finish(run.Output.Exit);
        Assert.Equal(0, end.Attach.ExitCode);
        Assert.False(end.TimedOut);
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void Run_refuses_a_negative_timeout_and_makes_nothing()
    {
        var refused = Assert.Throws<ConmanException>(() => Engine.Containers.Run(Options(interactive: false, "true"), new RunOptions(Timeout: TimeSpan.FromSeconds(-5))));
        Assert.Equal(ErrorIds.InvalidRunTimeout, refused.ErrorId);
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void Run_refuses_a_restart_policy_for_a_container_it_removes_and_makes_nothing()
    {
        var options = new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["true"] }, Lifetime = new() { RestartPolicy = RestartPolicy.Always } };
        Assert.Equal(ErrorIds.RestartPolicyWithoutKeep, Assert.Throws<ConmanException>(() => Engine.Containers.Run(options, new RunOptions())).ErrorId);
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void A_run_whose_command_cannot_start_leaves_no_container()
    {
        Assert.Equal(ErrorIds.CommandNotFound, Assert.Throws<ConmanException>(() => Engine.Containers.Run(Options(false, "/no/such"), new RunOptions())).ErrorId);
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void AttachOrStart_starts_a_created_container_attached_and_refuses_an_exited_one()
    {
        var c = Create("sh", "-c", "echo first; exit 4");
        var (entered, stream) = Engine.Containers.AttachOrStart(c.Id);
        using (var output = new Engine.Shim.AttachedOutput(stream))
        {
            Assert.Equal(["first"], output.UntilEnd(CancellationToken.None).Select(l => l.Text));
            Assert.Equal(4, output.Exit!.ExitCode);
        }
        Assert.Equal(c.Id, entered.Id);
        Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorIds.ContainerNotRunning, Assert.Throws<ConmanException>(() => Engine.Containers.AttachOrStart(c.Id)).ErrorId);
    }

    [Fact]
    public void WaitUntilReady_returns_once_every_condition_holds()
    {
        var c = Create("sh", "-c", "sleep 0.3; echo service ready; sleep 60");
        Engine.Containers.Start(c.Id);
        var ready = Engine.Containers.WaitUntilReady(c.Id, [new LogLineCondition("ready$")], TimeSpan.FromSeconds(30));
        Assert.Equal(ContainerState.Running, ready!.State);
        Assert.Contains("service ready", Engine.Containers.Logs(c.Id, new Engine.Logs.LogQuery(), follow: false).Select(e => e.Text));
    }

    [Fact]
    public void WaitUntilReady_says_why_not_with_the_last_log_lines()
    {
        var crashing = Create("sh", "-c", "echo bad config >&2; exit 2");
        Engine.Containers.Start(crashing.Id);
        var exited = Assert.Throws<ConmanException>(() => Engine.Containers.WaitUntilReady(crashing.Id, [new LogLineCondition("never")], TimeSpan.FromSeconds(30)));
        Assert.Equal(ErrorIds.ExitedBeforeReady, exited.ErrorId);
        Assert.Contains("Exited (2)", exited.Message);
        Assert.Contains("bad config", exited.Message);

        var quiet = Create("sh", "-c", "echo starting; sleep 60");
        Engine.Containers.Start(quiet.Id);
        var late = Assert.Throws<ConmanException>(() => Engine.Containers.WaitUntilReady(quiet.Id, [new ListeningPortCondition(7001)], TimeSpan.FromMilliseconds(500)));
        Assert.Equal(ErrorIds.ReadinessTimeout, late.ErrorId);
        Assert.Contains("TCP port 7001", late.Message);

        Assert.Equal(ErrorIds.NoHealthCheck, Assert.Throws<ConmanException>(() => Engine.Containers.WaitUntilReady(quiet.Id, [new HealthyCondition()], TimeSpan.FromSeconds(1))).ErrorId);
        Assert.Equal(ErrorIds.InvalidLogPattern, Assert.Throws<ConmanException>(() => new LogLineCondition("(")).ErrorId);
    }
}
