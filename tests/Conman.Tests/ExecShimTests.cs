using Conman.Engine.Shim;
using Conman.Engine.Containers;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>An exec whose own shim is killed: its end is lost, not cut off, and nothing of it outlives the container.</summary>
public sealed class ExecShimTests(RootFsFixture fixture) : EngineTest(fixture)
{
    [Fact]
    public void An_exec_whose_shim_is_killed_is_lost_and_its_socket_goes_with_Remove_Force()
    {
        var container = Create("sleep", "60");
        Engine.Containers.Start(container.Id);
        using var exec = Engine.Containers.Exec(container.Id, new ExecOptions { Command = ["sleep", "60"] }, new AttachOptions());
        Assert.Null(exec.LostReason());
        string execId = Path.GetFileName(Assert.Single(Directory.GetDirectories(Layout.ExecsFolder(container.Id))));
        var shim = RunRecord.Parser.ParseFrom(File.ReadAllBytes(Layout.ExecRunPath(container.Id, execId))).Shim;
        Assert.Equal(0, LibC.kill(shim.Pid, LibC.SIGKILL));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProcessIdentity.IsAlive(shim.Pid, shim.StartTime) && DateTime.UtcNow < deadline) Thread.Sleep(10);

        Assert.Contains($"its shim (pid {shim.Pid}) died", exec.LostReason());
        string socket = Layout.SocketPath(execId);
        Assert.True(File.Exists(socket));
        Engine.Containers.Remove(container.Id, force: true);
        Assert.False(File.Exists(socket));
        Assert.Empty(Directory.GetFiles(Layout.RunFolder, "*.sock"));
    }
}
