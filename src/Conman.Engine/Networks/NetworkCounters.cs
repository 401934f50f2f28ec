using System.Globalization;

namespace Conman.Engine.Networks;

/// <summary>
/// A container's network traffic, as docker stats' NET I/O: the bytes its interfaces other than lo
/// received and sent, from /proc/PID/net/dev of its init (which shows that process's namespace).
/// </summary>
internal static class NetworkCounters
{
    public static (long Received, long Sent) Read(int pid)
    {
        long received = 0, sent = 0;
        try
        {
            // "  eth0: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed rx_multicast tx_bytes ..."
            foreach (string line in File.ReadLines($"/proc/{pid}/net/dev").Skip(2))
            {
                int colon = line.IndexOf(':');
                if (colon < 0 || line[..colon].Trim() == "lo") continue;
                string[] fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 9) continue;
                received += long.Parse(fields[0], CultureInfo.InvariantCulture);
                sent += long.Parse(fields[8], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or FormatException or OverflowException)
        {
            // Its init exited meanwhile: nothing to count.
        }
        return (received, sent);
    }
}
