using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class ProtocolTests
{
    private static byte[] Frames(params ShimFrame[] frames) => frames.SelectMany(FrameWriter.Encode).ToArray();

    [Fact]
    public void FrameReader_reassembles_frames_split_across_every_possible_read_boundary()
    {
        var bytes = Frames(
            new ShimFrame { Stdout = ByteString.CopyFromUtf8("hello") },
            new ShimFrame { Stderr = ByteString.CopyFrom(new byte[300]) },
            new ShimFrame { Exit = new ExitRecord { ExitCode = 3 } });
        for (int split = 0; split <= bytes.Length; split++)
        {
            var reader = new FrameReader();
            var frames = new List<ShimFrame>();
            reader.Append(bytes.AsSpan(0, split));
            while (reader.TryRead(out var f)) frames.Add(f);
            reader.Append(bytes.AsSpan(split));
            while (reader.TryRead(out var f)) frames.Add(f);
            Assert.Equal(3, frames.Count);
            Assert.Equal("hello", frames[0].Stdout.ToStringUtf8());
            Assert.Equal(300, frames[1].Stderr.Length);
            Assert.Equal(3, frames[2].Exit.ExitCode);
            Assert.Equal(0, reader.Pending);
        }
    }

    [Fact]
    public void FrameReader_reads_byte_by_byte_without_mixing_streams()
    {
        var bytes = Frames(
            new ShimFrame { Stdout = ByteString.CopyFromUtf8("out1") },
            new ShimFrame { Stderr = ByteString.CopyFromUtf8("err1") },
            new ShimFrame { Stdout = ByteString.CopyFromUtf8("out2") });
        var reader = new FrameReader();
        var seen = new List<string>();
        foreach (byte b in bytes)
        {
            reader.Append([b]);
            while (reader.TryRead(out var f)) seen.Add($"{f.KindCase}:{(f.KindCase == ShimFrame.KindOneofCase.Stdout ? f.Stdout : f.Stderr).ToStringUtf8()}");
        }
        Assert.Equal(["Stdout:out1", "Stderr:err1", "Stdout:out2"], seen);
    }

    [Fact]
    public void FrameReader_refuses_an_oversized_frame()
    {
        var reader = new FrameReader();
        // A length prefix of 64 MiB.
        reader.Append([0x80, 0x80, 0x80, 0x20]);
        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void FrameReader_refuses_garbage()
    {
        var reader = new FrameReader();
        reader.Append([3, 0xff, 0xff, 0xff]);
        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void An_output_header_followed_by_its_data_is_the_bytes_of_a_ShimFrame()
    {
        foreach (int size in new[] { 0, 1, 127, 128, 70000 })
        {
            byte[] data = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
            foreach (bool stderr in new[] { false, true })
            {
                var expected = FrameWriter.Encode(stderr ? new ShimFrame { Stderr = ByteString.CopyFrom(data) } : new ShimFrame { Stdout = ByteString.CopyFrom(data) });
                var header = new byte[FrameWriter.MaxOutputHeaderLength];
                int length = FrameWriter.WriteOutputHeader(stderr, data.Length, header);
                Assert.Equal(expected, header[..length].Concat(data).ToArray());
            }
        }
    }

    [Fact]
    public void ExitRecord_signal_is_absent_unless_set()
    {
        var exited = ExitRecord.Parser.ParseFrom(new ExitRecord { ExitCode = 0 }.ToByteArray());
        Assert.False(exited.HasSignal);
        var killed = ExitRecord.Parser.ParseFrom(new ExitRecord { ExitCode = 137, Signal = 9 }.ToByteArray());
        Assert.True(killed.HasSignal);
        Assert.Equal(9, killed.Signal);
    }

    [Fact]
    public void AtomicFile_writes_root_only_and_reads_back()
    {
        string folder = Directory.CreateTempSubdirectory("conman-atomic").FullName;
        try
        {
            string path = Path.Combine(folder, "exit.pb");
            Assert.Null(AtomicFile.Read(path, ExitRecord.Parser));
            AtomicFile.Write(path, new ExitRecord { ExitCode = 5 });
            AtomicFile.Write(path, new ExitRecord { ExitCode = 6 });
            Assert.Equal(6, AtomicFile.Read(path, ExitRecord.Parser)!.ExitCode);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}

[Trait("Category", "Unit")]
public class ShimWireTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(7, null)]
    [InlineData(137, 9)]
    [InlineData(128, 0)]
    [InlineData(1, null, 123456789UL)]
    [InlineData(143, 15, 0UL, true)]
    [InlineData(137, 9, 0UL, false, true)]
    [InlineData(3, null, 0UL, false, false, true)]
    public void Exit_records_are_the_bytes_the_generated_class_writes(int exitCode, int? signal, ulong lost = 0, bool stopRequested = false,
        bool oomKilled = false, bool restarting = false)
    {
        var started = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
        var finished = started.AddTicks(1234567);
        var shim = new ShimId(4242, 987654321);
        var expected = new ExitRecord
        {
            ExitCode = exitCode, FinishedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(finished), LostLogBytes = lost,
            Shim = new ShimIdentity { Pid = 4242, StartTime = 987654321 }, StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(started),
            StopRequested = stopRequested, OomKilled = oomKilled, Restarting = restarting,
        };
        if (signal is int s) expected.Signal = s;
        byte[] record = ShimWire.ExitRecord(exitCode, signal, finished, lost, shim, started, stopRequested, oomKilled, restarting);
        Assert.Equal(expected.ToByteArray(), record);
        Assert.Equal(FrameWriter.Encode(new ShimFrame { Exit = expected }), ShimWire.ExitFrame(record));
    }

    [Fact]
    public void Run_records_are_the_bytes_the_generated_class_writes()
    {
        var started = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc).AddTicks(7);
        var shim = new ShimIdentity { Pid = 31, StartTime = 5 };
        Assert.Equal(new RunRecord { Shim = shim }.ToByteArray(), ShimWire.RunRecord(new ShimId(31, 5)));
        Assert.Equal(new RunRecord { Shim = shim, ContainerPid = 0, StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(started) }.ToByteArray(),
            ShimWire.RunRecord(new ShimId(31, 5), 0, started));
        Assert.Equal(new RunRecord { Shim = shim, ContainerPid = 9, StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(started), RestartCount = 4 }.ToByteArray(),
            ShimWire.RunRecord(new ShimId(31, 5), 9, started, restartCount: 4));
        Assert.Equal(FrameWriter.Encode(new ShimFrame { Signaled = new Signaled() }), ShimWire.SignaledFrame());
    }

    [Fact]
    public void Teardown_plans_written_by_the_engine_decode_in_the_shim()
    {
        var plan = new TeardownPlan();
        plan.Steps.Add(new TeardownStep { Unmount = "/var/lib/conman/containers/x/rootfs" });
        plan.Steps.Add(new TeardownStep
        {
            CniDelete = new CniInvocation
            {
                Plugin = "/usr/lib/cni/bridge", Command = "DEL", ContainerId = "c1", NetworkNamespace = "/run/conman/n/c1", Interface = "eth0",
                PluginPath = "/usr/lib/cni", Config = Google.Protobuf.ByteString.CopyFromUtf8("{}"), ResultFile = "/x/cni-lan.json",
            },
        });
        plan.Steps.Add(new TeardownStep { NetworkNamespace = "/run/conman/n/c1" });
        plan.Steps.Add(new TeardownStep { RemoveFile = "/x/network.pb" });
        plan.Steps.Add(new TeardownStep { LeaveNetwork = "/x/m/c1.pb" });
        var steps = TeardownSteps.Parse(plan.ToByteArray());
        Assert.Equal(new TeardownAction.Unmount("/var/lib/conman/containers/x/rootfs"), steps[0]);
        var cni = Assert.IsType<TeardownAction.CniDelete>(steps[1]).Call;
        Assert.Equal(("/usr/lib/cni/bridge", "DEL", "c1", "/run/conman/n/c1", "eth0", "/usr/lib/cni", "{}", "/x/cni-lan.json"),
            (cni.Plugin, cni.Command, cni.ContainerId, cni.NetworkNamespace, cni.Interface, cni.PluginPath, System.Text.Encoding.UTF8.GetString(cni.Config),
                cni.ResultFile));
        Assert.Equal(new TeardownAction.NetworkNamespace("/run/conman/n/c1"), steps[2]);
        Assert.Equal(new TeardownAction.RemoveFile("/x/network.pb"), steps[3]);
        Assert.Equal(new TeardownAction.LeaveNetwork("/x/m/c1.pb"), steps[4]);
        Assert.Empty(TeardownSteps.Parse([]));
        Assert.Throws<InvalidDataException>(() => TeardownSteps.Parse([0x0a, 0x05, 0x01]));
    }

    [Fact]
    public void Ready_frames_are_the_bytes_the_generated_class_writes()
    {
        Assert.Equal(FrameWriter.EncodeMessage(new ShimReady { ContainerPid = 4242 }), ShimWire.ReadyCreated(4242));
        Assert.Equal(FrameWriter.EncodeMessage(new ShimReady { Error = "runc create failed: é" }), ShimWire.ReadyFailed("runc create failed: é"));
    }

    [Fact]
    public void Client_frames_written_by_the_engine_decode_in_the_shim()
    {
        ClientFrame Decode(ShimFrame frame)
        {
            var reader = new FrameReader();
            reader.Append(FrameWriter.Encode(frame));
            Assert.True(reader.TryReadBody(out var body));
            return ShimWire.ParseClientFrame(body);
        }
        var attach = Decode(new ShimFrame { Attach = new AttachRequest { Stdin = true, Stderr = true } });
        Assert.Equal(ClientFrameKind.Attach, attach.Kind);
        Assert.Equal(new AttachStreams(true, false, true), attach.Streams);
        var stdin = Decode(new ShimFrame { Stdin = ByteString.CopyFromUtf8("typed") });
        Assert.Equal((ClientFrameKind.Stdin, "typed"), (stdin.Kind, System.Text.Encoding.UTF8.GetString(stdin.Data)));
        Assert.Equal(ClientFrameKind.StdinClose, Decode(new ShimFrame { StdinClose = new StdinClose() }).Kind);
        var resize = Decode(new ShimFrame { Resize = new Resize { Rows = 40, Columns = 132 } });
        Assert.Equal((ClientFrameKind.Resize, (ushort)40, (ushort)132), (resize.Kind, resize.Rows, resize.Columns));
        var signal = Decode(new ShimFrame { Signal = new SignalRequest { Signal = 10 } });
        Assert.Equal((ClientFrameKind.Signal, 10), (signal.Kind, signal.Signal));
        var stop = Decode(new ShimFrame { Stop = new StopRequest { Signal = 15, TimeoutMilliseconds = 2500 } });
        Assert.Equal((ClientFrameKind.Stop, 15, TimeSpan.FromMilliseconds(2500)), (stop.Kind, stop.Signal, stop.Timeout));
        Assert.Throws<InvalidDataException>(() => ShimWire.ParseClientFrame([0x0a, 0x05, 0x01]));
    }
}

/// <summary>Which volumes a record mounts, as the shim reads it without the generated classes.</summary>
[Trait("Category", "Unit")]
public class RecordVolumesTests
{
    private static byte[] Record(params string[] volumes)
    {
        var definition = new ContainerDefinition { Process = new() { Hostname = "box" } }.WithGroups();
        foreach (string name in volumes) definition.Storage.NamedVolumes.Add(new VolumeUse { Name = name, ContainerPath = "/" + name });
        return Google.Protobuf.MessageExtensions.ToByteArray(new ContainerRecord { Id = "abc", Name = "web", Definition = definition });
    }

    [Fact]
    public void A_whole_record_names_exactly_its_volumes()
    {
        var record = RecordVolumes.Read(Record("data", "cache"));
        Assert.Equal(["cache", "data"], record.Names!.Order());
        Assert.True(record.MayMount("data"));
        Assert.False(record.MayMount("dat"));
        Assert.False(record.MayMount("web"));
    }

    [Fact]
    public void A_damaged_record_may_mount_any_volume_its_bytes_name()
    {
        byte[] whole = Record("data");
        var cut = RecordVolumes.Read(whole[..^2]);
        Assert.Null(cut.Names);
        Assert.True(cut.MayMount("data"));
        Assert.False(cut.MayMount("other"));
    }
}
