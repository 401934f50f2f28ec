using Conman.Engine.Logs;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>A log the shim rotated, read back: its rotated files and the current one as one log, followed while it rotates.</summary>
[Trait("Category", "Unit")]
public sealed class RotatedLogReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("conman-xunit-logs").FullName;
    private string LogPath => Path.Combine(_folder, "container.log");

    private static readonly long FirstRotation = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static string Entry(int second, string stream, char tag, string text) =>
        $"2026-01-01T00:00:{second:D2}.000000000Z {stream} {tag} {text}\n";

    [Fact]
    public void Rotated_files_and_the_current_one_read_as_one_log_oldest_first()
    {
        File.WriteAllText(RotatedLogs.PathFor(LogPath, FirstRotation + 2), Entry(3, "stdout", 'F', "three") + Entry(4, "stdout", 'P', "a line "));
        // Written first, rotated first: the names order them, not when they were written.
        File.WriteAllText(RotatedLogs.PathFor(LogPath, FirstRotation + 1), Entry(1, "stdout", 'F', "one") + Entry(2, "stderr", 'F', "two"));
        File.WriteAllText(RotatedLogs.PathFor(LogPath, FirstRotation + 3), Entry(5, "stdout", 'F', "split by a rotation") + Entry(6, "stdout", 'F', "six"));
        File.WriteAllText(LogPath, Entry(7, "stdout", 'F', "seven") + Entry(8, "stderr", 'F', "eight"));
        // Beside the log, not rotations of it.
        File.WriteAllText(LogPath + ".old", Entry(0, "stdout", 'F', "not the log"));
        File.WriteAllText(LogPath + ".20260101-000000", Entry(0, "stdout", 'F', "not the log either"));

        Assert.Equal(["one", "two", "three", "a line split by a rotation", "six", "seven", "eight"], Texts(new LogQuery()));
        // The last 4 entries begin in the file before the one before the current.
        Assert.Equal(["a line split by a rotation", "six", "seven", "eight"], Texts(new LogQuery(Tail: 4)));
        Assert.Equal(["two", "eight"], Texts(new LogQuery(Stream: LogStream.Stderr)));
        var since = new DateTimeOffset(2026, 1, 1, 0, 0, 5, TimeSpan.Zero);
        Assert.Equal(["a line split by a rotation", "six", "seven", "eight"], Texts(new LogQuery(Since: since)));
    }

    [Fact]
    public void A_log_whose_current_file_is_missing_mid_rotation_is_its_rotated_files()
    {
        File.WriteAllText(RotatedLogs.PathFor(LogPath, FirstRotation), Entry(1, "stdout", 'F', "one"));
        File.WriteAllText(RotatedLogs.PathFor(LogPath, FirstRotation + 1), Entry(2, "stdout", 'F', "two"));
        Assert.Equal(["one", "two"], Texts(new LogQuery()));
        Assert.Equal(["two"], Texts(new LogQuery(Tail: 1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tail_and_since_across_rotated_files_equal_those_of_the_same_log_in_one_file(int seed)
    {
        // Both streams interleaved, entries split into partial lines across them and across
        // files, long lines across read blocks, and an unfinished entry at the end.
        var random = new Random(seed);
        var lines = new List<string>();
        for (int i = 0; i < 5000; i++)
        {
            bool stderr = random.Next(2) == 1;
            string text = new string((char)('a' + random.Next(26)), random.Next(0, random.Next(10) == 0 ? 100000 : 40));
            lines.Add($"2026-01-01T00:{i / 60 % 60:D2}:{i % 60:D2}.{i:D9}Z {(stderr ? "stderr" : "stdout")} {(random.Next(3) > 0 ? 'F' : 'P')} {text}\n");
        }
        string whole = Path.Combine(_folder, "whole.log");
        File.WriteAllText(whole, string.Concat(lines));
        // The same entries cut into files at random entry boundaries, the last being the current one.
        int start = 0, file = 0;
        while (start < lines.Count)
        {
            int count = Math.Min(lines.Count - start, random.Next(1, 1500));
            bool last = start + count == lines.Count;
            File.WriteAllText(last ? LogPath : RotatedLogs.PathFor(LogPath, FirstRotation + file++), string.Concat(lines.Skip(start).Take(count)));
            start += count;
        }
        Assert.True(file > 2);

        Assert.Equal(LogReader.Read(whole, new LogQuery()), LogReader.Read(LogPath, new LogQuery()));
        foreach (int tail in new[] { 0, 1, 2, 7, 100, 2000, 10000 })
        {
            foreach (LogStream? stream in new LogStream?[] { null, LogStream.Stdout, LogStream.Stderr })
            {
                Assert.Equal(LogReader.Read(whole, new LogQuery(Tail: tail, Stream: stream)), LogReader.Read(LogPath, new LogQuery(Tail: tail, Stream: stream)));
            }
        }
        var since = new DateTimeOffset(2026, 1, 1, 0, 40, 0, TimeSpan.Zero);
        Assert.Equal(LogReader.Read(whole, new LogQuery(Since: since)), LogReader.Read(LogPath, new LogQuery(Since: since)));
    }

    [Fact]
    public void A_follower_reads_every_entry_once_while_the_log_is_rotated_and_its_oldest_files_deleted_under_it()
    {
        const int Lines = 100_000, LinesPerFile = 500, FilesKept = 200;
        File.WriteAllText(LogPath, "");
        bool writing = true;
        // As the shim does: whole entries, rename after the last write, a new file, the oldest deleted past the bound.
        var writer = Task.Run(() =>
        {
            var rotated = new Queue<string>();
            var log = new StreamWriter(LogPath, append: true);
            for (int n = 1; n <= Lines; n++)
            {
                log.Write(Entry(n % 60, "stdout", 'F', n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (n % 100 == 0)
                {
                    log.Flush();
                    Thread.Sleep(1);
                }
                if (n % LinesPerFile != 0) continue;
                log.Dispose();
                string name = RotatedLogs.PathFor(LogPath, FirstRotation + n);
                File.Move(LogPath, name, overwrite: true);
                rotated.Enqueue(name);
                log = new StreamWriter(LogPath, append: true);
                while (rotated.Count > FilesKept - 1) File.Delete(rotated.Dequeue());
            }
            log.Dispose();
            Volatile.Write(ref writing, false);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var followed = LogReader.Read(LogPath, new LogQuery(), stillRunning: () => Volatile.Read(ref writing), timeout.Token)
            .Select(e => int.Parse(e.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        writer.Wait();
        Assert.False(timeout.IsCancellationRequested);
        Assert.Equal(Enumerable.Range(1, Lines), followed);
        Assert.Equal(FilesKept - 1, RotatedLogs.List(LogPath).Count);
    }

    private List<string> Texts(LogQuery query) => LogReader.Read(LogPath, query).Select(e => e.Text).ToList();

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
