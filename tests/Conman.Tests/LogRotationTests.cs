using System.Text;
using System.Text.RegularExpressions;
using Conman.Engine.Shim;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>A container's log has a bound: the shim rotates it between whole entries and keeps so many files, whatever runs write it.</summary>
public sealed partial class LogRotationTests(RootFsFixture fixture) : EngineTest(fixture)
{
    private const long SmallFile = 64 * 1024;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [PF] ")]
    private static partial Regex CriEntry();

    [Fact]
    public void Rotated_names_sort_as_they_were_made_and_only_they_count_as_rotations()
    {
        string folder = Directory.CreateTempSubdirectory("conman-xunit-names").FullName;
        try
        {
            string log = Path.Combine(folder, "exec.log");
            var times = new[] { new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1) };
            foreach (var time in times) File.WriteAllText(RotatedLogs.PathFor(log, time.Ticks), "");
            Assert.Equal(log + ".20260102-030405.000000100", RotatedLogs.PathFor(log, times[2].Ticks));
            File.WriteAllText(log, "");
            File.WriteAllText(log + ".20261301-000000.000000000", ""); // no 13th month
            File.WriteAllText(log + ".gz", "");
            File.WriteAllText(Path.Combine(folder, "container.log.20260102-030405.000000100"), ""); // another log's

            var listed = RotatedLogs.List(log);
            Assert.Equal(times.Select(t => t.Ticks).Order(), listed.Select(r => r.Ticks));
            Assert.Equal(listed.Select(r => r.Path).Order(StringComparer.Ordinal), listed.Select(r => r.Path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Log_bounds_are_kubelets_by_default_and_checked_at_create()
    {
        var defaults = LogRotations.Resolve(null, null);
        Assert.Equal((10L * 1024 * 1024, 5), (defaults.MaxSizeBytes, defaults.MaxFiles));
        Assert.Equal((1024L * 1024, 3), (LogRotations.Resolve(1024 * 1024, 3).MaxSizeBytes, LogRotations.Resolve(1024 * 1024, 3).MaxFiles));
        Assert.False(LogRotations.Resolve(-1, null).HasMaxSizeBytes);
        // A record made before bounds existed gets the default at its next start.
        Assert.Equal(defaults, LogRotations.Effective(new ContainerDefinition().WithGroups().LogRotation));
        foreach (var (size, files) in new (long?, int?)[] { (1024, null), (0, null), (-2, null), (null, 0), (null, 101), (-1, 3) })
        {
            var error = Assert.Throws<ConmanException>(() => LogRotations.Resolve(size, files));
            Assert.Equal(ErrorIds.InvalidLogOption, error.ErrorId);
        }
        // Bad input changes nothing: no container is made.
        Assert.Throws<ConmanException>(() => Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["true"] }, Logging = new() { MaxSize = 1000 } }));
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void The_shim_rotates_the_log_between_whole_entries_and_keeps_at_most_its_file_count_of_at_most_its_size()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["seq", "1", "100000"] }, Logging = new() { MaxSize = 128 * 1024, MaxFiles = 4 } });
        Assert.Equal((128L * 1024, (int?)4), (c.Config.Logging.MaxSize, c.Config.Logging.MaxFiles));
        Engine.Containers.Start(c.Id);
        Assert.Equal(0, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(60)).ExitCode);

        var files = LogFiles(c.Id);
        Assert.Equal(4, files.Count);
        var numbers = new List<int>();
        string partial = "";
        foreach (string file in files)
        {
            Assert.True(new FileInfo(file).Length <= 128 * 1024, $"{file} has {new FileInfo(file).Length} bytes");
            foreach (string line in File.ReadAllLines(file))
            {
                // Whole entries only: no entry was cut by a rotation (a read that ended mid-line is a P entry, its rest an F one).
                Assert.Matches(CriEntry(), line);
                string[] fields = line.Split(' ', 4);
                partial += fields[3];
                if (fields[2] == "P") continue;
                numbers.Add(int.Parse(partial, System.Globalization.CultureInfo.InvariantCulture));
                partial = "";
            }
        }
        // The oldest went, and nothing between the first kept and the last was lost.
        Assert.True(numbers[0] > 1);
        Assert.Equal(Enumerable.Range(numbers[0], 100000 - numbers[0] + 1), numbers);
        Assert.Equal(numbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Engine.Containers.Logs(c.Id, new LogQuery(), follow: false).Select(e => e.Text));
    }

    [Fact]
    public void A_line_longer_than_a_log_file_comes_back_whole_across_the_rotations_inside_it()
    {
        // 163840 characters without a newline: the shim reads it in pieces of 64 KiB, each a partial entry of its own file.
        var c = Engine.Containers.Create(new ContainerOptions
        { RootFs = RootFs, Logging = new() { MaxSize = SmallFile, MaxFiles = 10 }, Process = new() { Command = ["sh", "-c", "s=0123456789; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do s=$s$s; done; echo start; echo \"$s\"; echo end"] } });
        Engine.Containers.Start(c.Id);
        Assert.Equal(0, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(60)).ExitCode);

        Assert.True(LogFiles(c.Id).Count >= 3);
        string line = string.Concat(Enumerable.Repeat("0123456789", 16384));
        Assert.Equal(["start", line, "end"], Engine.Containers.Logs(c.Id, new LogQuery(), follow: false).Select(e => e.Text));
        Assert.Equal([line, "end"], Engine.Containers.Logs(c.Id, new LogQuery(Tail: 2), follow: false).Select(e => e.Text));
    }

    [Fact]
    public void Restarts_by_policy_and_a_second_start_append_under_the_same_bound()
    {
        var c = Engine.Containers.Create(new ContainerOptions
        { RootFs = RootFs, Logging = new() { MaxSize = SmallFile, MaxFiles = 2 }, Lifetime = new() { RestartPolicy = Conman.Engine.Supervision.RestartPolicy.OnFailure, MaximumRetryCount = 2 }, Process = new() { Command = ["sh", "-c", "echo begin; seq 1 20000; exit 1"] } });
        // Three runs for each start: the first and its two restarts.
        void StartAndWaitForTheLastRun()
        {
            Engine.Containers.Start(c.Id);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            ContainerSnapshot done;
            while (!((done = Engine.Containers.Get(c.Id)) is { State: ContainerState.Exited, RestartCount: 2 }) && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal((ContainerState.Exited, 2), (done.State, done.RestartCount));
        }
        StartAndWaitForTheLastRun();
        AssertBounded(c.Id, files: 2);

        StartAndWaitForTheLastRun();
        AssertBounded(c.Id, files: 2);
        Assert.Equal(["19999", "20000"], Engine.Containers.Logs(c.Id, new LogQuery(Tail: 2), follow: false).Select(e => e.Text));
    }

    [Fact]
    public void An_execs_log_is_bounded_as_its_containers()
    {
        var c = Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["sleep", "60"] }, Logging = new() { MaxSize = SmallFile, MaxFiles = 2 } });
        Engine.Containers.Start(c.Id);
        using var exec = Engine.Containers.Exec(c.Id, new ExecOptions { Command = ["sh", "-c", "seq 1 50000; echo written; sleep 60"] },
            new AttachOptions(Stderr: false));
        var output = new StringBuilder();
        while (!output.ToString().EndsWith("written\n", StringComparison.Ordinal) && exec.Stream.Read() is { } frame)
        {
            output.Append(System.Text.Encoding.UTF8.GetString(frame.Data.Span));
        }
        // Still running: its files are there, bounded.
        string folder = Assert.Single(Directory.GetDirectories(Layout.ExecsFolder(c.Id)));
        var files = Directory.GetFiles(folder, "exec.log*");
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= SmallFile, $"{f} has {new FileInfo(f).Length} bytes"));
        Engine.Containers.Remove(c.Id, force: true);
    }

    [Fact]
    public void A_log_file_deleted_under_the_shim_is_replaced_at_the_next_rotation_not_written_on_unseen()
    {
        var c = Engine.Containers.Create(new ContainerOptions
        { RootFs = RootFs, Logging = new() { MaxSize = SmallFile, MaxFiles = 2 }, Process = new() { Command = ["sh", "-c", "until [ -e /tmp/go ]; do sleep 0.02; done; seq 1 100000"] } });
        Engine.Containers.Start(c.Id);
        File.Delete(Layout.LogPath(c.Id));
        Release(c);
        Assert.Equal(0, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(60)).ExitCode);
        AssertBounded(c.Id, files: 2);
        Assert.Equal(["100000"], Engine.Containers.Logs(c.Id, new LogQuery(Tail: 1), follow: false).Select(e => e.Text));
    }

    /// <summary>The container's log files, oldest first, the current one last.</summary>
    private List<string> LogFiles(string id) => [.. RotatedLogs.List(Layout.LogPath(id)).Select(r => r.Path), Layout.LogPath(id)];

    private void AssertBounded(string id, int files)
    {
        var found = LogFiles(id);
        Assert.Equal(files, found.Count);
        Assert.All(found, f => Assert.True(new FileInfo(f).Length <= SmallFile, $"{f} has {new FileInfo(f).Length} bytes"));
        Assert.All(found.SelectMany(File.ReadAllLines), line => Assert.Matches(CriEntry(), line));
    }
}
