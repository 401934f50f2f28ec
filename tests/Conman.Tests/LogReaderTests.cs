using Conman.Engine;
using Conman.Engine.Logs;

namespace Conman.Tests;

/// <summary>The CRI log read back: partial entries joined, queries, reading the tail from the end.</summary>
[Trait("Category", "Unit")]
public class LogReaderTests
{
    [Fact]
    public void Cri_parser_joins_partial_entries_per_stream()
    {
        var parser = new CriLogParser();
        Assert.Null(parser.Parse("2026-01-02T03:04:05.123456789Z stdout P hel"u8));
        Assert.Null(parser.Parse("2026-01-02T03:04:05.123456789Z stderr P err"u8));
        var line = parser.Parse("2026-01-02T03:04:05.223456789Z stdout F lo world"u8);
        Assert.Equal(new LogEntry(line!.Timestamp, LogStream.Stdout, "hello world"), line);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(2234567), line.Timestamp);
        var err = parser.Parse("2026-01-02T03:04:05.323456789Z stderr F or"u8);
        Assert.Equal("error", err!.Text);
        Assert.Equal("", parser.Parse("2026-01-02T03:04:05.323456789Z stdout F "u8)!.Text);
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

    [Fact]
    public void A_character_split_between_partial_entries_is_joined_as_bytes()
    {
        string path = Path.GetTempFileName();
        try
        {
            // U+1F600 is F0 9F 98 80: the shim's read ended after its second byte.
            File.WriteAllBytes(path, [.. "2026-01-01T00:00:01.000000000Z stdout P smile "u8, 0xF0, 0x9F, (byte)'\n',
                .. "2026-01-01T00:00:02.000000000Z stdout F "u8, 0x98, 0x80, .. " end\n"u8,
                .. "2026-01-01T00:00:03.000000000Z stderr P "u8, 0xC3, (byte)'\n']);
            var entries = LogReader.Read(path, new LogQuery()).ToList();
            Assert.Equal(["smile \U0001F600 end", "\uFFFD"], entries.Select(e => e.Text));
            Assert.Equal(["smile \U0001F600 end"], LogReader.Read(path, new LogQuery(Tail: 1, Stream: LogStream.Stdout)).Select(e => e.Text));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Entries_come_as_they_are_read_not_once_the_whole_log_is()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var log = new StreamWriter(path))
            {
                for (int i = 0; i < 50_000; i++) log.Write($"2026-01-01T00:00:00.{i:D9}Z stdout F line {i}\n");
            }
            using var entries = LogReader.Read(path, new LogQuery()).GetEnumerator();
            Assert.True(entries.MoveNext());
            Assert.Equal("line 0", entries.Current.Text);
            // Written after the first entry came: a reader that had read the whole log first would not see it.
            File.AppendAllText(path, "2026-01-01T00:00:01.000000000Z stdout F written later\n");
            string last = entries.Current.Text;
            while (entries.MoveNext()) last = entries.Current.Text;
            Assert.Equal("written later", last);
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
}
