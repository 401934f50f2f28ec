using System.Globalization;
using Conman.Engine.Containers;

namespace Conman.Engine.Readiness;

/// <summary>
/// A TCP port in the container accepts connections: a socket listens on it in the container's
/// network namespace. Read from the host as /proc/PID/net/tcp and tcp6 of its init process, the
/// tables the kernel keeps per namespace (Testcontainers' internal port check reads the same from
/// inside), so it needs nothing in the image and no route to the container.
/// </summary>
public sealed class ListeningPortCondition(int port) : ReadinessCondition
{
    private const string Listen = "0A";

    public override string Description => $"a listener on TCP port {port}";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        if (container.Pid is not int pid) return false;
        return new[] { "tcp", "tcp6" }.Any(table => IsListening(ReadTable($"/proc/{pid}/net/{table}"), port));
    }

    private static string ReadTable(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // the process exited meanwhile: the next check sees the container's state
        }
    }

    /// <summary>
    /// Whether a /proc/net/tcp table (a header, then "sl local_address rem_address st ...", the
    /// local address as HEXIP:HEXPORT) has a socket in the LISTEN state on the port.
    /// </summary>
    internal static bool IsListening(string table, int port)
    {
        foreach (string line in table.Split('\n').Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != Listen) continue;
            int colon = fields[1].LastIndexOf(':');
            if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int local) && local == port) return true;
        }
        return false;
    }
}
