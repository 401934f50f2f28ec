using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Shim;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>The shim owns its runs: it records them, and stops and signals go through it.</summary>
public class ShimRunTests(RootFsFixture fixture) : EngineTest(fixture)
{
    /// <summary>A container that ignores SIGTERM: only a stop's SIGKILL ends it.</summary>
    private static readonly string[] IgnoresTerm = ["sh", "-c", "trap '' TERM; while true; do sleep 0.05; done"];

    [Fact]
    public void A_runs_start_comes_before_its_finish_on_one_clock()
    {
        for (int i = 0; i < 20; i++)
        {
            var c = Create("sh", "-c", "exit 42");
            Engine.Containers.Start(c.Id);
            var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
            Assert.Equal(42, done.ExitCode);
            Assert.True(done.StartedAt <= done.FinishedAt, $"started {done.StartedAt:O}, finished {done.FinishedAt:O}");
            Engine.Containers.Remove(c.Id, force: false);
        }
    }

    [Fact]
    public void The_shim_records_the_run_it_started_and_the_exit_record_names_that_run()
    {
        var c = Create("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.05; done");
        Engine.Containers.Start(c.Id);
        var run = Engine.Store.ReadRun(c.Id)!;
        Assert.True(ProcessIdentity.IsAlive(run.Shim.Pid, run.Shim.StartTime));
        var running = Engine.Containers.Get(c.Id);
        Assert.Equal((ContainerState.Running, run.ContainerPid), (running.State, running.Pid));
        Assert.Equal(run.StartedAt.ToDateTimeOffset(), running.StartedAt);

        var stopped = Engine.Containers.Stop(c.Id, TimeSpan.FromSeconds(5));
        var exit = Engine.Store.ReadExit(c.Id)!;
        Assert.Equal(run.Shim, exit.Shim);
        Assert.Equal(run.StartedAt, exit.StartedAt);
        Assert.True(exit.StopRequested);
        Assert.True(stopped.StopRequested);
        // It ended on SIGTERM, by its own trap, within the grace period.
        Assert.Equal(0, stopped.ExitCode);
    }

    [Fact]
    public void A_container_that_exits_by_itself_records_no_stop_request()
    {
        var c = Create("sh", "-c", "exit 3");
        Engine.Containers.Start(c.Id);
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.False(done.StopRequested);
    }

    [Fact]
    public void Stop_escalates_to_SIGKILL_in_the_shim_after_the_timeout()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = IgnoresTerm } });
        Engine.Containers.Start(c.Id);
        var started = DateTime.UtcNow;
        var stopped = Engine.Containers.Stop(c.Id, TimeSpan.FromSeconds(1));
        Assert.Equal((ContainerState.Exited, 137), (stopped.State, stopped.ExitCode));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void A_cancelled_stop_leaves_the_grace_period_to_the_shim_rather_than_killing_at_once()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = IgnoresTerm } });
        Engine.Containers.Start(c.Id);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var interrupted = Engine.Containers.Stop(c.Id, TimeSpan.FromSeconds(3), cancel.Token);
        Assert.Equal(ContainerState.Running, interrupted.State);
        Thread.Sleep(1000);
        Assert.Equal(ContainerState.Running, Engine.Containers.Get(c.Id).State);
        // The shim kills it once the 3 s are up, with nobody waiting.
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10));
        Assert.Equal((ContainerState.Exited, 137, true), (done.State, done.ExitCode, done.StopRequested));
    }

    [Fact]
    public void A_long_stop_holds_no_lock_so_a_kill_and_a_forced_removal_go_ahead()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = IgnoresTerm } });
        Engine.Containers.Start(c.Id);
        var stopping = Task.Run(() => Engine.Containers.Stop(c.Id, TimeSpan.FromSeconds(60)));
        Thread.Sleep(300);
        var started = DateTime.UtcNow;
        Engine.Containers.Kill(c.Id, Signals.Parse("KILL"));
        Assert.Equal(137, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10)).ExitCode);
        Assert.True(stopping.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));

        var other = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = IgnoresTerm } });
        Engine.Containers.Start(other.Id);
        var stoppingOther = Task.Run(() => Engine.Containers.Stop(other.Id, TimeSpan.FromSeconds(60)));
        Thread.Sleep(300);
        started = DateTime.UtcNow;
        Engine.Containers.Remove(other.Id, force: true);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.True(stoppingOther.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorIds.ContainerNotFound, Assert.Throws<ConmanException>(() => Engine.Containers.Get(other.Id)).ErrorId);
    }

    [Fact]
    public void A_restart_interrupted_while_it_stops_starts_nothing()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = IgnoresTerm } });
        Engine.Containers.Start(c.Id);
        var firstRun = Engine.Containers.Get(c.Id).StartedAt;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() => Engine.Containers.Restart(c.Id, TimeSpan.FromSeconds(2), cancel.Token));
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10));
        Assert.Equal((ContainerState.Exited, 137, firstRun), (done.State, done.ExitCode, done.StartedAt));
    }

    [Fact]
    public void A_restart_is_one_step_that_a_concurrent_start_cannot_come_between()
    {
        var c = Create("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.05; done");
        Engine.Containers.Start(c.Id);
        var restart = Task.Run(() => Engine.Containers.Restart(c.Id, TimeSpan.FromSeconds(5)));
        Thread.Sleep(50);
        var start = Task.Run(() => Engine.Containers.Start(c.Id));
        Assert.Equal(ContainerState.Running, restart.Result.State);
        var error = Assert.Throws<AggregateException>(() => start.Wait()).InnerException as ConmanException;
        Assert.Equal(ErrorIds.ContainerAlreadyRunning, error?.ErrorId);
    }

    [Fact]
    public void A_signal_is_delivered_by_the_shim_before_Kill_returns()
    {
        var c = Create("sh", "-c", "trap 'echo got-usr1; exit 9' USR1; echo ready; while true; do sleep 0.05; done");
        var (_, stream) = Engine.Containers.Start(c.Id, new AttachOptions(Stderr: false));
        using (stream)
        {
            Assert.Equal("ready\n", System.Text.Encoding.UTF8.GetString(stream!.Read()!.Value.Data.Span));
            Engine.Containers.Kill(c.Id, Signals.Parse("USR1"));
            Assert.Equal(9, stream.ReadUntilExit(TimeSpan.FromSeconds(10), CancellationToken.None)!.ExitCode);
        }
        Assert.Equal(ErrorIds.ContainerNotRunning, Assert.Throws<ConmanException>(() => Engine.Containers.Kill(c.Id, 15)).ErrorId);
    }

    [Fact]
    public void An_attach_learns_the_end_of_its_run_from_the_shim_even_when_another_session_removes_the_container()
    {
        // podman's regression test for its #3795: `podman rm -f` while `podman start --attach` waits.
        for (int i = 0; i < 10; i++)
        {
            var c = Create("sleep", "30");
            var (_, stream) = Engine.Containers.Start(c.Id, new AttachOptions());
            using (stream)
            {
                var remover = Task.Run(() => Engine.Containers.Remove(c.Id, force: true));
                var exit = stream!.ReadUntilExit(TimeSpan.FromSeconds(20), CancellationToken.None);
                remover.Wait(TimeSpan.FromSeconds(20));
                var end = Engine.Containers.EndOfAttach(c.Id, c.Name, exit is null ? null : ExitStatus.From(exit));
                Assert.Equal(137, end.ExitCode);
                Assert.Null(end.Problem);
            }
        }
    }

    [Fact]
    public void An_attach_cut_off_without_an_exit_frame_from_a_removed_container_says_so()
    {
        var c = Create("true");
        Engine.Containers.Remove(c.Id, force: true);
        var end = Engine.Containers.EndOfAttach(c.Id, c.Name, exit: null);
        Assert.Null(end.ExitCode);
        Assert.Equal(ErrorIds.ContainerRemoved, end.Problem!.ErrorId);
    }

    [Fact]
    public void An_Unknown_container_whose_shim_died_can_be_started_again()
    {
        var c = Create("sleep", "30");
        Engine.Containers.Start(c.Id);
        var shim = Engine.Store.ReadRun(c.Id)!.Shim;
        LibC.kill(shim.Pid, LibC.SIGKILL);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Engine.Containers.Get(c.Id).State != ContainerState.Unknown && DateTime.UtcNow < deadline) Thread.Sleep(10);
        var lost = Engine.Containers.Get(c.Id);
        Assert.Equal(ContainerState.Unknown, lost.State);
        Assert.NotNull(lost.StartedAt);

        // The orphaned container is killed and runc's state cleared before the new run.
        Engine.Containers.Start(c.Id);
        Assert.Equal(ContainerState.Running, Engine.Containers.Get(c.Id).State);
        Assert.Equal(137, Engine.Containers.Stop(c.Id, TimeSpan.Zero).ExitCode);
    }

    [Fact]
    public void A_start_whose_overlay_cannot_be_mounted_leaves_the_last_exit_as_it_was()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-xunit-rootfs").FullName;
        CopyTree(RootFs, rootFs);
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = rootFs, Process = new() { Command = ["sh", "-c", "exit 3"] } });
        Engine.Containers.Start(c.Id);
        var first = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(3, first.ExitCode);

        Directory.Delete(rootFs, recursive: true);
        Assert.Equal(ErrorIds.OverlayMountFailed, Assert.Throws<ConmanException>(() => Engine.Containers.Start(c.Id)).ErrorId);
        var after = Engine.Containers.Get(c.Id);
        Assert.Equal((ContainerState.Exited, 3, first.StartedAt, first.FinishedAt), (after.State, after.ExitCode, after.StartedAt, after.FinishedAt));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(to + folder[from.Length..]);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is { } target) File.CreateSymbolicLink(to + file[from.Length..], target);
            else File.Copy(file, to + file[from.Length..]);
        }
    }
}
