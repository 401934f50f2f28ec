namespace Conman.Native;

/// <summary>
/// A process known by pid and start time (field 22 of /proc/PID/stat), so that a pid reused by
/// another process after the shim died is not mistaken for the shim.
/// </summary>
public static class ProcessIdentity
{
    public static ulong? ReadStartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        string[] fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); a zombie has exited already.
        if (fields.Length < 20 || fields[0] == "Z") return null;
        return ulong.TryParse(fields[19], out ulong startTime) ? startTime : null;
    }

    public static bool IsAlive(int pid, ulong startTime) => pid > 0 && ReadStartTime(pid) == startTime;
}
