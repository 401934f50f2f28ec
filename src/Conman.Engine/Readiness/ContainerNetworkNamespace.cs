using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Conman.Engine.Readiness;

/// <summary>
/// Connects to a port on a container's own loopback from the host: the socket is made inside the
/// container's network namespace, so no route, published port or tool in the image is needed. A
/// socket keeps the namespace it was made in; only a thread of this process enters it, briefly,
/// and a thread of its own (setns with CLONE_NEWNET changes the calling thread alone).
/// </summary>
internal static partial class ContainerNetworkNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    /// <summary>A TCP connection to 127.0.0.1:<paramref name="port"/> as the process <paramref name="pid"/> sees it.</summary>
    /// <exception cref="SocketException">Nothing accepts on the port (or the namespace is gone).</exception>
    public static async Task<Stream> ConnectAsync(int pid, int port, CancellationToken cancel)
    {
        var socket = SocketIn(pid);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket SocketIn(int pid)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var own = File.OpenHandle("/proc/thread-self/ns/net");
                using var container = File.OpenHandle($"/proc/{pid}/ns/net");
                if (setns((int)container.DangerousGetHandle(), CLONE_NEWNET) != 0) throw new SocketException(Marshal.GetLastPInvokeError());
                try
                {
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                }
                finally
                {
                    // Should the way back fail, this thread ends here anyway, and nothing else runs on it.
                    setns((int)own.DangerousGetHandle(), CLONE_NEWNET);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "conman netns" };
        thread.Start();
        thread.Join();
        if (socket is not null) return socket;
        throw failure as SocketException ?? new SocketException((int)SocketError.NetworkUnreachable);
    }
}
