using Conman.Engine.Runtime;
using Conman.Host;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>
/// The one executor of undo steps and the one plugin policy, as the engine runs them (the shim
/// runs the same code with its own process runner): retries, what a failed DEL keeps, bounds.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TeardownExecutorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("conman-xunit-teardown").FullName;
    private readonly TeardownExecutor _executor = new(new EngineProcessRunner());

    /// <summary>A plugin that fails until its <paramref name="succeedsAt"/>-th run (never, when 0), counting its runs in a file.</summary>
    private CniCall Plugin(int succeedsAt, string resultFile = "")
    {
        string counter = Path.Combine(_folder, "runs");
        string script = Path.Combine(_folder, "plugin");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            cat > /dev/null
            n=$(($(cat {{counter}} 2>/dev/null || echo 0) + 1))
            echo $n > {{counter}}
            [ {{succeedsAt}} -ne 0 ] && [ $n -ge {{succeedsAt}} ] && exit 0
            echo '{"code": 11, "msg": "refused this time"}'
            exit 1
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new CniCall(script, "DEL", "c1", "/no/netns", "eth0", _folder, "{}"u8.ToArray(), resultFile);
    }

    private int Runs => int.Parse(File.ReadAllText(Path.Combine(_folder, "runs")).Trim());

    [Fact]
    public void A_DEL_is_tried_again_until_it_succeeds()
    {
        Assert.Empty(_executor.Run([new TeardownAction.CniDelete(Plugin(succeedsAt: 3))]));
        Assert.Equal(3, Runs);
    }

    [Fact]
    public void A_DEL_that_keeps_failing_keeps_its_result_file_and_the_namespace_for_the_next_removal()
    {
        string result = Path.Combine(_folder, "cni-net.json"), other = Path.Combine(_folder, "network.pb");
        string netns = Path.Combine(_folder, "netns");
        foreach (string file in new[] { result, other, netns }) File.WriteAllText(file, "");
        var failures = _executor.Run([new TeardownAction.RemoveFile(other), new TeardownAction.CniDelete(Plugin(succeedsAt: 0, result)),
            new TeardownAction.RemoveFile(result), new TeardownAction.NetworkNamespace(netns)]);
        Assert.Equal(CniExec.DeleteAttempts, Runs);
        Assert.Contains("refused this time", Assert.Single(failures));
        Assert.True(File.Exists(result));
        Assert.True(File.Exists(netns));
        Assert.False(File.Exists(other));
    }

    [Fact]
    public void Undoing_what_is_not_there_is_no_failure()
    {
        string missing = Path.Combine(_folder, "missing");
        Assert.Empty(_executor.Run([new TeardownAction.Unmount(missing), new TeardownAction.RemoveFile(missing),
            new TeardownAction.RemoveFolder(missing), new TeardownAction.NamespaceFile(missing), new TeardownAction.NetworkNamespace(missing),
            new TeardownAction.LeaveNetwork(Path.Combine(missing, "member.pb"))]));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
