namespace Conman.Protocol;

/// <summary>
/// The names of a log's rotated files, which the shim makes and the engine reads back
/// (docs/on-disk.md): the file the shim writes keeps the log's own name; each one it rotated is
/// renamed to "&lt;log&gt;.&lt;yyyyMMdd-HHmmss.fffffffff&gt;", the UTC time of its rotation. That
/// is kubelet's name for a rotated CRI log with the second's fraction added, since the shim
/// rotates as soon as a file is full, which can be many times a second. The names are fixed
/// width, so they sort as they were made; the shim keeps them strictly increasing even when the
/// clock goes back.
/// </summary>
internal static class RotatedLogs
{
    /// <summary>"20260102-150405.123456700": the digits of the date, a dash, the time, a dot, nine digits of the second.</summary>
    private const int SuffixLength = 25;

    /// <summary>The rotated file's path for a rotation at <paramref name="ticks"/> (UTC, DateTime ticks).</summary>
    public static string PathFor(string logPath, long ticks)
    {
        var time = new DateTime(ticks, DateTimeKind.Utc);
        Span<char> suffix = stackalloc char[SuffixLength];
        int n = 0;
        void Digits(Span<char> d, long value, int width)
        {
            for (int i = width - 1; i >= 0; i--)
            {
                d[n + i] = (char)('0' + value % 10);
                value /= 10;
            }
            n += width;
        }
        // Written digit by digit: .NET's date formatting pulls culture data into the shim.
        Digits(suffix, time.Year, 4);
        Digits(suffix, time.Month, 2);
        Digits(suffix, time.Day, 2);
        suffix[n++] = '-';
        Digits(suffix, time.Hour, 2);
        Digits(suffix, time.Minute, 2);
        Digits(suffix, time.Second, 2);
        suffix[n++] = '.';
        Digits(suffix, ticks % TimeSpan.TicksPerSecond * 100, 9);
        return $"{logPath}.{suffix}";
    }

    /// <summary>The log's rotated files, oldest first, with the time of their rotation (ticks).</summary>
    public static List<(string Path, long Ticks)> List(string logPath)
    {
        var rotated = new List<(string Path, long Ticks)>();
        string? folder = Path.GetDirectoryName(logPath);
        if (folder is null || !Directory.Exists(folder)) return rotated;
        string prefix = Path.GetFileName(logPath) + ".";
        foreach (string path in Directory.EnumerateFiles(folder, prefix + "*"))
        {
            var name = Path.GetFileName(path.AsSpan());
            if (name.Length == prefix.Length + SuffixLength && TryParse(name[prefix.Length..], out long ticks)) rotated.Add((path, ticks));
        }
        rotated.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        return rotated;
    }

    /// <summary>The rotation time a suffix names; false for any other name beside the log (a file that is not one of its rotations).</summary>
    private static bool TryParse(ReadOnlySpan<char> suffix, out long ticks)
    {
        ticks = 0;
        if (suffix[8] != '-' || suffix[15] != '.') return false;
        int position = 0;
        bool ok = true;
        int Digits(ReadOnlySpan<char> s, int width)
        {
            int value = 0;
            for (int i = 0; i < width; i++)
            {
                char c = s[position + i];
                if (c is < '0' or > '9') ok = false;
                value = value * 10 + (c - '0');
            }
            position += width;
            return value;
        }
        int year = Digits(suffix, 4), month = Digits(suffix, 2), day = Digits(suffix, 2);
        position++;
        int hour = Digits(suffix, 2), minute = Digits(suffix, 2), second = Digits(suffix, 2);
        position++;
        int nanoseconds = Digits(suffix, 9);
        if (!ok || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + nanoseconds / 100;
        return true;
    }
}
