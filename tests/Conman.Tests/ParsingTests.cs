using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Engine.Spec;
using Conman.Native;

namespace Conman.Tests;

public class ParsingTests
{
    [Theory]
    [InlineData("web", true)]
    [InlineData("a", true)]
    [InlineData("Web_1.test-2", true)]
    [InlineData("-web", false)]
    [InlineData(".hidden", false)]
    [InlineData("has space", false)]
    [InlineData("slash/name", false)]
    [InlineData("", false)]
    public void Container_names_follow_Dockers_rule(string name, bool valid) => Assert.Equal(valid, ContainerName.IsValid(name));

    [Fact]
    public void Container_names_are_at_most_128_characters()
    {
        Assert.True(ContainerName.IsValid(new string('a', 128)));
        Assert.False(ContainerName.IsValid(new string('a', 129)));
    }

    [Fact]
    public void Generated_names_are_valid_and_ids_are_64_hex() 
    {
        Assert.True(ContainerName.IsValid(ContainerName.Generate()));
        Assert.Matches("^[0-9a-f]{64}$", ContainerName.NewId());
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("9", 9)]
    [InlineData("HUP", 1)]
    [InlineData("64", 64)]
    public void Signals_parse_by_name_or_number(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("SIGNOPE")]
    [InlineData("-9")]
    [InlineData("")]
    public void Invalid_signals_are_refused(string text)
    {
        var e = Assert.Throws<ConmanException>(() => Signals.Parse(text));
        Assert.Equal(ErrorIds.InvalidSignal, e.ErrorId);
        Assert.Equal(ConmanErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Volume_specs_parse_with_and_without_ro()
    {
        var rw = VolumeSpec.Parse("/tmp:/data");
        Assert.Equal(("/tmp", "/data", false), (rw.HostPath, rw.ContainerPath, rw.ReadOnly));
        Assert.True(VolumeSpec.Parse("/tmp:/data:ro").ReadOnly);
        Assert.False(VolumeSpec.Parse("/tmp:/data:rw").ReadOnly);
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("tmp:/data")]
    [InlineData("/tmp:data")]
    [InlineData("/tmp:/data:bogus")]
    [InlineData("/tmp:/a/../../etc")]
    [InlineData("/does/not/exist:/data")]
    [InlineData("/tmp::/data")]
    public void Invalid_volume_specs_are_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeSpec.Parse(spec)).ErrorId);

    [Fact]
    public void Users_resolve_from_the_root_filesystems_passwd_and_group()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            File.WriteAllText(Path.Combine(rootFs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
            File.WriteAllText(Path.Combine(rootFs, "etc/group"), "root:x:0:\napps:x:1001:\nstaff:x:50:\n");
            Assert.Equal(new UserResolver.ContainerUser(0, 0), UserResolver.Resolve(null, new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 1001), UserResolver.Resolve("app", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 50), UserResolver.Resolve("app:staff", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 1001), UserResolver.Resolve("1000", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(4242, 7), UserResolver.Resolve("4242:7", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(4242, 0), UserResolver.Resolve("4242", new RootFsView([rootFs])));
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("ghost", new RootFsView([rootFs]))).ErrorId);
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("app:nogroup", new RootFsView([rootFs]))).ErrorId);
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("a:b:c", new RootFsView([rootFs]))).ErrorId);
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }

    [Fact]
    public void Cri_parser_joins_partial_entries_per_stream()
    {
        var parser = new CriLogParser();
        Assert.Null(parser.Parse("2026-01-02T03:04:05.123456789Z stdout P hel"));
        Assert.Null(parser.Parse("2026-01-02T03:04:05.123456789Z stderr P err"));
        var line = parser.Parse("2026-01-02T03:04:05.223456789Z stdout F lo world");
        Assert.Equal(new LogEntry(line!.Timestamp, LogStream.Stdout, "hello world"), line);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(2234567), line.Timestamp);
        var err = parser.Parse("2026-01-02T03:04:05.323456789Z stderr F or");
        Assert.Equal("error", err!.Text);
        Assert.Equal("", parser.Parse("2026-01-02T03:04:05.323456789Z stdout F ")!.Text);
        Assert.Empty(parser.Flush(DateTimeOffset.UnixEpoch));
    }

    /// <summary>Runs <paramref name="check"/> on a log file of these lines, deleted afterwards.</summary>
    private static void WithLog(string[] lines, Action<string> check)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, lines);
            check(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Log_reader_keeps_the_carriage_returns_the_container_wrote() => WithLog(
        [
            "2026-01-01T00:00:01.000000000Z stdout F crlf\r",
            "2026-01-01T00:00:02.000000000Z stdout P progress 10%\r",
            "2026-01-01T00:00:03.000000000Z stdout F progress 100%",
        ],
        path => Assert.Equal(["crlf\r", "progress 10%\rprogress 100%"], LogReader.Read(path, new LogQuery()).Select(e => e.Text)));

    [Fact]
    public void Log_reader_applies_tail_since_and_stream() => WithLog(
        [
            "2026-01-01T00:00:01.000000000Z stdout F one",
            "2026-01-01T00:00:02.000000000Z stderr F two",
            "2026-01-01T00:00:03.000000000Z stdout P thr",
            "2026-01-01T00:00:04.000000000Z stdout F ee",
            "2026-01-01T00:00:05.000000000Z stdout P four-unfinished",
        ],
        path =>
        {
            Assert.Equal(["one", "two", "three", "four-unfinished"], LogReader.Read(path, new LogQuery()).Select(e => e.Text));
            Assert.Equal(["three", "four-unfinished"], LogReader.Read(path, new LogQuery(Tail: 2)).Select(e => e.Text));
            Assert.Empty(LogReader.Read(path, new LogQuery(Tail: 0)));
            Assert.Equal(["two"], LogReader.Read(path, new LogQuery(Stream: LogStream.Stderr)).Select(e => e.Text));
            var since = new DateTimeOffset(2026, 1, 1, 0, 0, 2, TimeSpan.Zero);
            Assert.Equal(["two", "three", "four-unfinished"], LogReader.Read(path, new LogQuery(Since: since)).Select(e => e.Text));
        });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tail_from_the_end_of_the_file_equals_tail_of_the_whole_log(int seed)
    {
        // Both streams interleaved, entries split into partial lines across them, long lines
        // across read blocks, and an unfinished entry at the end.
        var random = new Random(seed);
        string path = Path.GetTempFileName();
        try
        {
            using (var log = new StreamWriter(path))
            {
                var open = new bool[2];
                for (int i = 0; i < 5000; i++)
                {
                    int stream = random.Next(2);
                    bool full = random.Next(3) > 0;
                    string text = new string((char)('a' + random.Next(26)), random.Next(0, random.Next(10) == 0 ? 100000 : 40));
                    log.Write($"2026-01-01T00:00:{i % 60:D2}.{i:D9}Z {(stream == 0 ? "stdout" : "stderr")} {(full ? 'F' : 'P')} {text}\n");
                    open[stream] = !full;
                }
            }
            foreach (int tail in new[] { 0, 1, 2, 7, 100, 2000, 10000 })
            {
                foreach (LogStream? stream in new LogStream?[] { null, LogStream.Stdout, LogStream.Stderr })
                {
                    var expected = LogReader.Read(path, new LogQuery(Tail: tail, Since: DateTimeOffset.MinValue, Stream: stream)).ToList();
                    var actual = LogReader.Read(path, new LogQuery(Tail: tail, Stream: stream)).ToList();
                    Assert.Equal(expected, actual);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tail_of_a_log_with_one_stream_reads_only_its_end()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var log = new StreamWriter(path))
            {
                for (int i = 0; i < 100_000; i++) log.Write($"2026-01-01T00:00:00.{i:D9}Z stdout F line {i}\n");
            }
            using (var file = new CountingFileStream(path))
            {
                long start = LogTailLocator.Find(file, 3, stream: null);
                // About the search limit (1 MiB) and a block or two, of a log over 4 MiB.
                Assert.True(file.Length > 4 * 1024 * 1024);
                Assert.True(file.BytesRead < 2 * 1024 * 1024, $"read {file.BytesRead} of {file.Length} bytes");
                file.Seek(start, SeekOrigin.Begin);
                Assert.StartsWith("2026-01-01T00:00:00.000099997Z stdout F line 99997", new StreamReader(file).ReadLine());
            }
            Assert.Equal(["line 99997", "line 99998", "line 99999"], LogReader.Read(path, new LogQuery(Tail: 3)).Select(e => e.Text));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tail_leaves_out_an_unfinished_entry_of_a_stream_silent_for_longer_than_the_search_limit()
    {
        // The bound's one cost (see LogTailLocator.SilentStreamSearchLimit), pinned here.
        string path = Path.GetTempFileName();
        try
        {
            using (var log = new StreamWriter(path))
            {
                log.Write("2026-01-01T00:00:00.000000000Z stderr P never ended\n");
                for (int i = 0; i < 40_000; i++) log.Write($"2026-01-01T00:00:01.{i:D9}Z stdout F line {i}\n");
            }
            Assert.True(new FileInfo(path).Length > LogTailLocator.SilentStreamSearchLimit);
            Assert.Equal("never ended", LogReader.Read(path, new LogQuery()).Last().Text);
            Assert.Equal(["line 39998", "line 39999"], LogReader.Read(path, new LogQuery(Tail: 2)).Select(e => e.Text));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A file opened for reading that counts the bytes read from it.</summary>
    private sealed class CountingFileStream(string path) : FileStream(path, FileMode.Open, FileAccess.Read)
    {
        public long BytesRead { get; private set; }

        // A FileStream subclass has its span reads come here too.
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
    }

    [Fact]
    public void Process_identity_knows_this_process_and_not_a_dead_one()
    {
        ulong? mine = ProcessIdentity.ReadStartTime(Environment.ProcessId);
        Assert.NotNull(mine);
        Assert.True(ProcessIdentity.IsAlive(Environment.ProcessId, mine.Value));
        Assert.False(ProcessIdentity.IsAlive(Environment.ProcessId, mine.Value + 1));
        Assert.Null(ProcessIdentity.ReadStartTime(int.MaxValue));
    }
}
