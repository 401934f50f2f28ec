using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// For an attached start or an exec, the shim waits for the first client to connect and say what
/// it wants before it asks runc to start the process, so that the client sees all its output;
/// one `runc run` (or `runc exec`) then does what `runc create` and `runc start` would.
/// </summary>
internal static unsafe class FirstClient
{
    public static AttachClient Await(UnixSocketListener listener, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        AttachClient? client = null;
        while (DateTime.UtcNow < deadline)
        {
            var poll = new LibC.PollFd { Fd = client?.Fd ?? listener.Fd, Events = LibC.POLLIN };
            LibC.poll(&poll, 1, 100);
            if (client is null)
            {
                int fd = listener.Accept();
                if (fd >= 0) client = new AttachClient(fd);
                continue;
            }
            int n = Fd.Read(client.Fd, client.Incoming.GetWriteSpan());
            if (n == 0) { client.Close(); client = null; continue; }
            if (n < 0) continue;
            client.Incoming.Commit(n);
            if (client.Incoming.TryReadBody(out var body) && ShimWire.ParseClientFrame(body) is { Kind: ClientFrameKind.Attach } frame)
            {
                client.Request = frame.Streams;
                return client;
            }
        }
        client?.Close();
        throw new TimeoutException($"No client attached within {limit.TotalSeconds} s.");
    }
}
