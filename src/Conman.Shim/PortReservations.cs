using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Holds the container's published host ports for as long as it runs, as podman's conmon and
/// Docker's proxy do: the plugin's DNAT rules take the traffic, but nothing on the host may bind
/// the port meanwhile. The engine bound each port before any firewall rule was made (a taken
/// port is a clear error then) and handed its socket over to this shim by inheritance, as podman
/// hands conmon its sockets: there is no moment when the port is free between the two. The
/// sockets close with the shim.
/// </summary>
internal static class PortReservations
{
    /// <summary>Keeps the inherited sockets, close-on-exec from now on: runc and the container must not inherit them.</summary>
    /// <exception cref="IOException">One is not an open descriptor (the engine's handing over failed).</exception>
    public static void Hold(IReadOnlyList<int> sockets)
    {
        foreach (int fd in sockets)
        {
            if (LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC) != 0) throw new IOException($"The published port's socket {fd} was not handed over: errno {LibC.Errno}.");
        }
    }
}
