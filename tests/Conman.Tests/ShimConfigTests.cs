using Conman.Host;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Tests;

/// <summary>
/// What the engine asks of a shim (shim.pb, written with the generated ShimConfig) is what the
/// shim reads with the wire primitives (<see cref="ShimOptions.Read"/>): every field, pinned, so
/// that a field added to the message without its reading fails here, not in a container's run.
/// </summary>
[Trait("Category", "Unit")]
public class ShimConfigTests
{
    private static ShimConfig Whole()
    {
        var config = new ShimConfig
        {
            ContainerId = "c1", Bundle = "/s/containers/c1", Runtime = "/usr/sbin/runc", RuntimeRoot = "/run/conman/x/runc",
            LogPath = "/s/containers/c1/container.log", LogRotation = new LogRotation { MaxSizeBytes = 1 << 20, MaxFiles = 3 },
            ExitPath = "/s/containers/c1/exit.pb", SocketPath = "/run/conman/x/c1.sock", RunPath = "/s/containers/c1/run.pb",
            TeardownPath = "/s/containers/c1/teardown.pb", DeleteWithRuntime = true, Interactive = true, Tty = true,
            ExecProcess = "/s/containers/c1/execs/e1/process.json", AwaitFirstClient = true,
            RestartPolicy = new ContainerRestartPolicy { Mode = RestartMode.OnFailure, MaximumRetryCount = 4 },
            Health = new ShimHealthCheck
            {
                ProcessPath = "/s/containers/c1/health.json", RecordPath = "/s/containers/c1/health.pb",
                Check = new ContainerHealthCheck
                {
                    IntervalMilliseconds = 30_000, TimeoutMilliseconds = 5_000, StartPeriodMilliseconds = 1_000, Retries = 3,
                    OnFailure = HealthFailureAction.Restart, Command = { "true" },
                },
            },
            RemoveAtExit = new ShimRemoval
            {
                LockPath = "/s/containers/c1/lock", RecordPath = "/s/containers/c1/container.pb", RemovingMarkerPath = "/s/containers/c1/removing",
                AnonymousVolumes = { "v1", "v2" }, VolumesFolder = "/s/volumes", VolumesLock = "/s/volumes/lock", IdRangeClaim = "/var/lib/conman/idranges/c1.claim",
            },
            Session = new ShimIdentity { Pid = 4242, StartTime = 123456789 },
            HeldPorts = { new HeldPort { Protocol = "tcp", HostIp = "127.0.0.1", HostPort = 8080, Fd = 7 }, new HeldPort { Protocol = "udp", HostPort = 53, Fd = 9 } },
            DependentsFolder = "/s/containers/c1/dependents",
            StopSignal = 2,
        };
        return config;
    }

    [Fact]
    public void Every_field_the_engine_writes_is_what_the_shim_reads()
    {
        var written = Whole();
        // Every field of the message is set above: one added later without its reading fails here.
        Assert.All(ShimConfig.Descriptor.Fields.InDeclarationOrder(), f =>
        {
            var without = written.Clone();
            f.Accessor.Clear(without);
            Assert.False(without.ToByteArray().AsSpan().SequenceEqual(written.ToByteArray()), $"{f.Name} is not set in the test");
        });

        var read = ShimOptions.Read(written.ToByteArray());
        Assert.Equal(("c1", "/s/containers/c1", "/usr/sbin/runc", "/run/conman/x/runc"), (read.ContainerId, read.Bundle, read.Runtime, read.RuntimeRoot));
        Assert.Equal(("/s/containers/c1/container.log", (1L << 20, 3)), (read.LogPath, read.LogBound!.Value));
        Assert.Equal(("/s/containers/c1/exit.pb", "/run/conman/x/c1.sock"), (read.ExitPath, read.SocketPath));
        Assert.Equal(("/s/containers/c1/run.pb", "/s/containers/c1/teardown.pb"), (read.RunPath, read.TeardownPath));
        Assert.Equal((true, true, true, true), (read.DeleteWithRuntime, read.Interactive, read.Tty, read.AwaitsFirstClient));
        Assert.Equal("/s/containers/c1/execs/e1/process.json", read.ExecProcess);
        Assert.Equal(new RestartRule(RestartMode.OnFailure, 4), read.Restart);
        Assert.Equal(new HealthCheckOptions("/s/containers/c1/health.json", "/s/containers/c1/health.pb", TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 3, HealthFailureAction.Restart), read.Health);
        var removal = read.RemoveAtExit!;
        Assert.Equal(("/s/containers/c1/lock", "/s/containers/c1/container.pb", "/s/containers/c1/removing", "/var/lib/conman/idranges/c1.claim"),
            (removal.LockPath, removal.RecordPath, removal.RemovingMarkerPath, removal.IdRangeClaim));
        Assert.Equal(("/s/volumes", "/s/volumes/lock"), (removal.AnonymousVolumes!.VolumesFolder, removal.AnonymousVolumes.VolumesLock));
        Assert.Equal(["v1", "v2"], removal.AnonymousVolumes.Names);
        Assert.Equal((4242, 123456789UL), read.Session!.Value);
        Assert.Equal([7, 9], read.HeldPortDescriptors);
        Assert.Equal("/s/containers/c1/dependents", read.DependentsFolder);
        Assert.Equal(2, read.StopSignal);
    }

    [Fact]
    public void What_a_shim_may_go_without_is_absent_when_not_written()
    {
        var read = ShimOptions.Read(new ShimConfig
        {
            ContainerId = "c1", Bundle = "/b", Runtime = "/r", RuntimeRoot = "/rr", LogPath = "/l", ExitPath = "/e", SocketPath = "/s",
            LogRotation = new LogRotation(),
        }.ToByteArray());
        Assert.Null(read.LogBound);
        Assert.Null(read.RunPath);
        Assert.Null(read.ExecProcess);
        Assert.False(read.AwaitsFirstClient);
        Assert.Equal(RestartMode.No, read.Restart.Mode);
        Assert.Null(read.Health);
        Assert.Null(read.RemoveAtExit);
        Assert.Null(read.Session);
        Assert.Empty(read.HeldPortDescriptors);
        Assert.Equal(15, read.StopSignal);
    }

    [Fact]
    public void A_config_that_is_not_one_or_lacks_what_every_shim_needs_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ShimOptions.Read([0x0a, 0x05, 0x01]));
        Assert.Throws<InvalidDataException>(() => ShimOptions.Read(new ShimConfig { ContainerId = "c1" }.ToByteArray()));
    }
}
