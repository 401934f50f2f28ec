using System.Net;
using System.Net.Sockets;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The host ports a start publishes, bound here before any network is set up (a taken port is a
/// clear error and nothing is half made; a free one is chosen for those asked as 0, -PublishAll
/// and "-Publish 80"), and handed to the shim, which holds them while the container runs, so that
/// nothing else binds them meanwhile. Bound once: between this bind and the shim's holding there
/// is no moment when the port is free (podman hands conmon its sockets the same way).
/// </summary>
internal sealed class PublishedPorts(ContainerNetworking networking, IReadOnlyList<PortPublish> asked) : IHostResource
{
    private readonly List<(PortPublish Port, Socket Socket)> _bound = [];

    public void Acquire()
    {
        try
        {
            foreach (var port in asked)
            {
                var socket = Bind(port);
                var resolved = port.Clone();
                resolved.HostPort = (uint)((IPEndPoint)socket.LocalEndPoint!).Port;
                _bound.Add((resolved, socket));
                networking.Ports.Add(resolved);
            }
        }
        catch
        {
            CloseSockets();
            throw;
        }
    }

    /// <summary>Nothing stays on the host of a port: its socket closes with the shim that holds it.</summary>
    public IEnumerable<TeardownStep> Undo => [];

    /// <summary>The ports as the shim's config names them, with the numbers of their sockets.</summary>
    public IEnumerable<HeldPort> Held => _bound.Select(b => new HeldPort
    {
        Protocol = b.Port.Protocol, HostIp = b.Port.HostIp, HostPort = b.Port.HostPort, Fd = (int)b.Socket.SafeHandle.DangerousGetHandle(),
    });

    /// <summary>The sockets' descriptors, which the shim inherits.</summary>
    public IReadOnlyList<int> Descriptors => [.. _bound.Select(b => (int)b.Socket.SafeHandle.DangerousGetHandle())];

    /// <summary>The engine's copies, once the shim has its own (or the start failed).</summary>
    public void CloseSockets()
    {
        foreach (var (_, socket) in _bound) socket.Dispose();
        _bound.Clear();
    }

    private Socket Bind(PortPublish port)
    {
        var address = port.HostIp.Length > 0 ? IPAddress.Parse(port.HostIp) : IPAddress.Any;
        bool tcp = port.Protocol == "tcp";
        var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, (int)port.HostPort));
            // Listening, not only bound: a bound TCP socket alone does not stop another that sets SO_REUSEADDR.
            if (tcp) socket.Listen(1);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            string why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the host port is already in use",
                SocketError.AddressNotAvailable => $"{address} is not an address of this host",
                _ => e.Message,
            };
            throw ConmanErrors.PortInUse(PortSpecs.Format(port), networking.Name, why);
        }
    }
}
