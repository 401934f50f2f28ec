using System.Buffers.Text;

namespace Conman.Native;

/// <summary>
/// A process known by pid and start time (field 22 of /proc/PID/stat), so that a pid reused by
/// another process after the shim died is not mistaken for the shim.
/// </summary>
internal static class ProcessIdentity
{
    public static ulong? ReadStartTime(int pid)
    {
        // Read into the stack and parsed as bytes: listing containers reads one per container,
        // and an idle shim reads its own once; neither should leave strings on the heap.
        Span<byte> stat = stackalloc byte[2048];
        int length;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid}/stat");
            length = RandomAccess.Read(handle, stat, 0);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        var rest = stat[..length];
        int close = rest.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= rest.Length) return null;
        rest = rest[(close + 2)..];
        // Field 3 is the state; a zombie has exited already.
        if (rest[0] == (byte)'Z') return null;
        // Field 22 is the 20th after the ')'.
        for (int field = 0; field < 19; field++)
        {
            int space = rest.IndexOf((byte)' ');
            if (space < 0) return null;
            rest = rest[(space + 1)..];
        }
        return Utf8Parser.TryParse(rest, out ulong startTime, out _) ? startTime : null;
    }

    public static bool IsAlive(int pid, ulong startTime) => pid > 0 && ReadStartTime(pid) == startTime;
}
