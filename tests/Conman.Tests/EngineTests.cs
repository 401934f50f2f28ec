using System.Text;
using System.Text.Json;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Engine.Shim;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Tests;

public class EngineTests(RootFsFixture fixture) : EngineTest(fixture)
{
    private const string WaitForGo = "while [ ! -e /tmp/go ]; do sleep 0.02; done; ";

    [Fact]
    public void Exit_code_output_and_finish_time_are_recorded()
    {
        var c = Create("sh", "-c", "echo hi; echo err >&2; exit 7");
        Engine.Containers.Start(c.Id);
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(ContainerState.Exited, done.State);
        Assert.Equal(7, done.ExitCode);
        Assert.Null(done.Signal);
        Assert.NotNull(done.FinishedAt);
        var log = Engine.Containers.Logs(c.Id, new LogQuery(), follow: false).ToList();
        Assert.Equal([(LogStream.Stdout, "hi"), (LogStream.Stderr, "err")], log.Select(e => (e.Stream, e.Text)));
    }

    [Fact]
    public void Death_by_signal_gives_128_plus_the_signal()
    {
        var c = Create("sleep", "30");
        Engine.Containers.Start(c.Id);
        Engine.Containers.Kill(c.Id, Signals.Parse("KILL"));
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(137, done.ExitCode);
        Assert.Equal(9, done.Signal);
    }

    [Fact]
    public void Several_attach_clients_each_receive_all_output_and_the_exit_status()
    {
        var c = Create("sh", "-c", WaitForGo + "seq 1 5000; exit 3");
        var (_, first) = Engine.Containers.Start(c.Id, new AttachOptions(Stderr: false));
        var clients = new List<AttachStream> { first! };
        for (int i = 0; i < 3; i++) clients.Add(AttachStream.TryConnect(Layout.SocketPath(c.Id), new AttachRequest { Stdout = true })!);
        Thread.Sleep(200);
        Release(c);
        string expected = string.Join("\n", Enumerable.Range(1, 5000)) + "\n";
        foreach (var client in clients)
        {
            using (client)
            {
                var (stdout, exit) = ReadToEnd(client);
                Assert.Equal(expected, stdout);
                Assert.Equal(3, exit!.ExitCode);
            }
        }
    }

    [Fact]
    public void Stdin_close_from_the_client_reaches_the_container_as_end_of_file()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["cat"], Interactive = true } });
        var (_, stream) = Engine.Containers.Start(c.Id, new AttachOptions(Stdin: true, Stderr: false));
        using (stream)
        {
            stream!.WriteStdin("first\nsecond\n"u8);
            stream.CloseStdin();
            var (stdout, exit) = ReadToEnd(stream);
            Assert.Equal("first\nsecond\n", stdout);
            Assert.Equal(0, exit!.ExitCode);
        }
    }

    [Fact]
    public void Without_Interactive_the_container_reads_end_of_file_at_once()
    {
        var c = Create("cat");
        Engine.Containers.Start(c.Id);
        Assert.Equal(0, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10)).ExitCode);
    }

    [Fact]
    public void A_client_attached_mid_run_sees_output_from_when_it_joined()
    {
        var c = Create("sh", "-c", "echo before; " + WaitForGo + "echo after");
        Engine.Containers.Start(c.Id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Engine.Containers.Logs(c.Id, new LogQuery(), false).Any() && DateTime.UtcNow < deadline) Thread.Sleep(20);
        using var late = AttachStream.TryConnect(Layout.SocketPath(c.Id), new AttachRequest { Stdout = true })!;
        Thread.Sleep(100);
        Release(c);
        Assert.Equal("after\n", ReadToEnd(late).Stdout);
    }

    [Fact]
    public void A_missing_command_fails_start_as_CommandNotFound_with_runcs_message_and_leaves_the_container_created()
    {
        var c = Create("/bin/no-such-command");
        var e = Assert.Throws<ConmanException>(() => Engine.Containers.Start(c.Id));
        Assert.Equal(ErrorIds.CommandNotFound, e.ErrorId);
        Assert.Contains("no-such-command", e.Message);
        Assert.Equal(ContainerState.Created, Engine.Containers.Get(c.Id).State);
        Assert.False(File.Exists(Layout.SocketPath(c.Id)));
    }

    [Fact]
    public void Runcs_state_and_the_cgroups_are_gone_once_the_exit_is_recorded()
    {
        var c = Create("sleep", "0.2");
        Engine.Containers.Start(c.Id);
        var cgroups = Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, "conman", c.Id)).Where(Directory.Exists).ToList();
        Assert.NotEmpty(cgroups);
        Assert.True(Directory.Exists(Path.Combine(Layout.RuntimeRoot, c.Id)));
        // The exit record appears only once the shim has cleaned up: a reader of it finds nothing left.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Layout.ExitPath(c.Id)) && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Assert.Equal(ContainerState.Exited, Engine.Containers.Get(c.Id).State);
        Assert.False(Directory.Exists(Path.Combine(Layout.RuntimeRoot, c.Id)));
        Assert.DoesNotContain(cgroups, Directory.Exists);
    }

    [Fact]
    public void An_image_of_more_layers_than_a_page_of_mount_options_names_still_runs()
    {
        string folder = Directory.CreateTempSubdirectory("conman-xunit-layers").FullName;
        try
        {
            var layers = new List<byte[]> { TestLayouts.BusyboxLayer() };
            for (int i = 0; i < 59; i++) layers.Add(TestLayouts.Layer([($"layer-{i}", "x"u8.ToArray(), null)]));
            TestLayouts.Write(folder, "many:1", layers);
            Engine.Images.Import(folder, null, _ => { }, CancellationToken.None);
            // 60 snapshot paths of over 100 characters each: more than the 4095 bytes of options overlayfs takes.
            Assert.True(Engine.Images.TreesOf(Engine.Images.Get("many:1").Layers.Select(l => l.ChainId)).Sum(t => t.Length + 1) > 4095);
            var c = Engine.Containers.Create(new ContainerOptions { Image = "many:1", Process = new() { Command = ["sh", "-c", "test -e /layer-0 && test -e /layer-58"] } });
            Engine.Containers.Start(c.Id);
            Assert.Equal(0, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30)).ExitCode);
            Assert.Equal(60, Directory.GetFileSystemEntries(Layout.LayerLinksFolder).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_failed_restart_of_an_exited_container_keeps_its_previous_exit_status()
    {
        string volume = Directory.CreateTempSubdirectory("conman-xunit-volume").FullName;
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["sh", "-c", "exit 5"] }, Storage = new() { Volumes = [$"{volume}:/data"] } });
        Engine.Containers.Start(c.Id);
        var first = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(5, first.ExitCode);
        // The volume's folder is gone: runc cannot mount it, and this start fails.
        Directory.Delete(volume);
        Assert.Equal(ErrorIds.ContainerCreateFailed, Assert.Throws<ConmanException>(() => Engine.Containers.Start(c.Id)).ErrorId);
        var after = Engine.Containers.Get(c.Id);
        Assert.Equal(ContainerState.Exited, after.State);
        Assert.Equal(5, after.ExitCode);
        Assert.Equal(first.FinishedAt, after.FinishedAt);
        Assert.Equal(first.StartedAt, after.StartedAt);
        // And it can start again once the folder is back.
        Directory.CreateDirectory(volume);
        Engine.Containers.Start(c.Id);
        var second = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(5, second.ExitCode);
        Assert.True(second.StartedAt > first.FinishedAt);
        Directory.Delete(volume);
    }

    [Fact]
    public void A_start_abandoned_while_its_shim_waits_for_a_client_is_cleaned_up_by_the_next_start()
    {
        var c = Create("sh", "-c", "exit 6");
        // What an attached start does up to its client's connection, as if its session died right there.
        var config = new Conman.Protocol.ShimConfig
        {
            ContainerId = c.Id, Bundle = Layout.ContainerFolder(c.Id), Runtime = Conman.Engine.Runtime.RuncRuntime.Locate(), RuntimeRoot = Layout.RuntimeRoot,
            LogPath = Layout.LogPath(c.Id), ExitPath = Layout.ExitPath(c.Id), SocketPath = Layout.SocketPath(c.Id), AwaitFirstClient = true,
            RunPath = Layout.RunPath(c.Id),
        };
        Layout.EnsureCreated();
        Conman.Protocol.AtomicFile.Write(Layout.ShimConfigPath(c.Id), config);
        var start = new System.Diagnostics.ProcessStartInfo(ShimLauncher.Locate()) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--config", Layout.ShimConfigPath(c.Id) }) start.ArgumentList.Add(argument);
        using var abandoned = System.Diagnostics.Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Engine.Store.ReadRun(c.Id) is null && DateTime.UtcNow < deadline) Thread.Sleep(5);
        var shim = Engine.Store.ReadRun(c.Id)!.Shim;
        Assert.Equal(abandoned.Id, shim.Pid);
        Assert.Equal(ContainerState.Created, Engine.Containers.Get(c.Id).State);

        Engine.Containers.Start(c.Id);
        var done = Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(6, done.ExitCode);
        Assert.False(ProcessIdentity.IsAlive(shim.Pid, shim.StartTime));
    }

    [Fact]
    public void Ids_resolve_by_unique_prefix_and_names_exactly()
    {
        var c = Create("true");
        Assert.Equal(c.Id, Engine.Containers.Get(c.Id[..6]).Id);
        Assert.Equal(c.Id, Engine.Containers.Get(c.Name).Id);
        Assert.Equal(ErrorIds.ContainerNotFound, Assert.Throws<ConmanException>(() => Engine.Containers.Get(c.Name[..3] + "zz")).ErrorId);
    }

    [Fact]
    public void State_files_are_root_only()
    {
        var c = Create("true");
        Engine.Containers.Start(c.Id);
        Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10));
        foreach (string path in new[] { Layout.RecordPath(c.Id), Layout.ExitPath(c.Id), Layout.LogPath(c.Id), Layout.SpecPath(c.Id) })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Layout.ContainerFolder(c.Id)));
    }

    [Fact]
    public void The_oci_spec_has_Dockers_defaults_and_fits_the_hosts_limits()
    {
        var c = Create("true");
        // Derived from the definition at each start.
        Engine.Containers.Start(c.Id);
        Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(10));
        using var spec = JsonDocument.Parse(File.ReadAllBytes(Layout.SpecPath(c.Id)));
        var process = spec.RootElement.GetProperty("process");
        Assert.True(process.GetProperty("noNewPrivileges").GetBoolean());
        var capabilities = process.GetProperty("capabilities");
        Assert.Equal(Conman.Engine.Spec.SpecOptions.DefaultCapabilities, capabilities.GetProperty("effective").EnumerateArray().Select(e => e.GetString()!));
        // NET_RAW only in the bounding set, under no-new-privileges: for a ping that carries it as a file capability.
        Assert.Equal([.. Conman.Engine.Spec.SpecOptions.DefaultCapabilities, "CAP_NET_RAW"],
            capabilities.GetProperty("bounding").EnumerateArray().Select(e => e.GetString()!));
        var nofile = process.GetProperty("rlimits").EnumerateArray().Single();
        ulong hard = nofile.GetProperty("hard").GetUInt64();
        string hostHard = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
        Assert.True(hostHard == "unlimited" || hard <= ulong.Parse(hostHard));
        Assert.Equal(["pid", "ipc", "uts", "mount", "network"],
            spec.RootElement.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Select(n => n.GetProperty("type").GetString()!));
        Assert.Contains("/proc/keys", spec.RootElement.GetProperty("linux").GetProperty("maskedPaths").EnumerateArray().Select(p => p.GetString()));
    }

    private static (string Stdout, ExitStatus? Exit) ReadToEnd(AttachStream stream)
    {
        var stdout = new StringBuilder();
        ExitStatus? exit = null;
        while (stream.Read() is { } received)
        {
            if (received.Kind == AttachEventKind.Stdout) stdout.Append(Encoding.UTF8.GetString(received.Data.Span));
            if (received.Kind == AttachEventKind.Exit) exit = received.Exit;
        }
        return (stdout.ToString(), exit);
    }
}
