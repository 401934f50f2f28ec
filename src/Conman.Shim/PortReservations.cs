using System.Net;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Holds the container's published host ports for as long as it runs, as podman's conmon and
/// Docker's proxy do: the plugin's DNAT rules take the traffic, but nothing on the host may bind
/// the port meanwhile, and a second container publishing it fails at its start instead of
/// silently losing the race. The sockets close with the shim.
/// </summary>
internal static unsafe class PortReservations
{
    private const int AF_INET = 2, SOCK_DGRAM = 2;

    /// <param name="ports">"tcp:0.0.0.0:8080" entries, as the engine writes --hold-ports.</param>
    /// <exception cref="IOException">A port is taken: the start fails with this message.</exception>
    public static List<int> Hold(IReadOnlyList<string> ports)
    {
        var held = new List<int>();
        try
        {
            foreach (string port in ports) held.Add(Bind(port));
        }
        catch
        {
            foreach (int fd in held) LibC.close(fd);
            throw;
        }
        return held;
    }

    private static int Bind(string entry)
    {
        string[] parts = entry.Split(':');
        if (parts.Length != 3 || !IPAddress.TryParse(parts[1], out var address) || !ushort.TryParse(parts[2], out ushort port))
        {
            throw new ArgumentException($"Unexpected port to hold '{entry}'.");
        }
        bool tcp = parts[0] == "tcp";
        int fd = LibC.socket(AF_INET, (tcp ? LibC.SOCK_STREAM : SOCK_DGRAM) | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException($"socket failed: errno {LibC.Errno}");
        byte* sockaddr = stackalloc byte[16];
        new Span<byte>(sockaddr, 16).Clear();
        sockaddr[0] = AF_INET;
        sockaddr[2] = (byte)(port >> 8);
        sockaddr[3] = (byte)port;
        address.GetAddressBytes().CopyTo(new Span<byte>(sockaddr + 4, 4));
        // Listening, not only bound: a bound TCP socket alone does not stop another that sets SO_REUSEADDR.
        if (LibC.bind(fd, sockaddr, 16) != 0 || (tcp && LibC.listen(fd, 1) != 0))
        {
            int errno = LibC.Errno;
            LibC.close(fd);
            throw new IOException(errno == 98
                ? $"the host port {parts[1]}:{port}/{parts[0]} is already in use"
                : $"cannot hold the host port {parts[1]}:{port}/{parts[0]}: errno {errno}");
        }
        return fd;
    }
}
