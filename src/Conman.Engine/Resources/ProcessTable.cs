using System.Globalization;

namespace Conman.Engine.Resources;

/// <summary>Reads what docker top shows of a process from /proc: no ps in the container, no process per container.</summary>
internal static class ProcessTable
{
    /// <summary>Linux reports process times in USER_HZ, 100 on every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <returns>Null when the process is gone.</returns>
    public static ContainerProcess? Read(int pid, DateTimeOffset bootTime)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The name (field 2) is in parentheses and may hold spaces and parentheses: fields follow the last ')'.
            int open = stat.IndexOf('(');
            int close = stat.LastIndexOf(')');
            if (open < 0 || close < open) return null;
            string name = stat[(open + 1)..close];
            string[] fields = stat[(close + 2)..].Split(' ');
            int parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            double ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            double startTicks = double.Parse(fields[19], CultureInfo.InvariantCulture);
            var (uid, containerPid) = ReadStatus(pid);
            string command = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return new ContainerProcess(pid, containerPid, parent, uid, TimeSpan.FromSeconds(ticks / ClockTicksPerSecond),
                bootTime + TimeSpan.FromSeconds(startTicks / ClockTicksPerSecond), command.Length > 0 ? command : $"[{name}]");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The real uid, and the pid in the innermost pid namespace (the last of NSpid's).</summary>
    private static (uint Uid, int ContainerPid) ReadStatus(int pid)
    {
        uint uid = 0;
        int containerPid = pid;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = uint.Parse(line[4..].Trim().Split('\t', ' ')[0], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("NSpid:", StringComparison.Ordinal))
            {
                containerPid = int.Parse(line[6..].Trim().Split('\t', ' ')[^1], CultureInfo.InvariantCulture);
            }
        }
        return (uid, containerPid);
    }

    /// <summary>When the host booted (/proc/stat's btime): process start times count from it.</summary>
    public static DateTimeOffset BootTime()
    {
        foreach (string line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal)) return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..], CultureInfo.InvariantCulture));
        }
        return DateTimeOffset.UnixEpoch;
    }
}
