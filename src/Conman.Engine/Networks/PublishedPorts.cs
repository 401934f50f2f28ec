using System.Net;
using System.Net.Sockets;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The host ports a start publishes: each asked port checked free before any network is set up
/// (a taken port is a clear error and nothing is half made), a free one chosen for those asked
/// as 0 (-PublishAll, "-Publish 80"). The shim then holds them while the container runs
/// (--hold-ports), so that nothing else binds them meanwhile.
/// </summary>
internal sealed class PublishedPorts(ContainerNetworking networking, IReadOnlyList<PortPublish> asked) : IHostResource
{
    public void Acquire()
    {
        foreach (var port in asked)
        {
            var resolved = port.Clone();
            resolved.HostPort = Probe(port);
            networking.Ports.Add(resolved);
        }
    }

    public IEnumerable<TeardownStep> Undo => [];

    /// <summary>The shim's --hold-ports entries.</summary>
    public static IEnumerable<string> HoldEntries(IEnumerable<PortPublish> ports) =>
        ports.Select(p => $"{p.Protocol}:{(p.HostIp.Length > 0 ? p.HostIp : "0.0.0.0")}:{p.HostPort}");

    private uint Probe(PortPublish port)
    {
        var address = port.HostIp.Length > 0 ? IPAddress.Parse(port.HostIp) : IPAddress.Any;
        bool tcp = port.Protocol == "tcp";
        using var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, (int)port.HostPort));
            if (tcp) socket.Listen(1);
        }
        catch (SocketException e)
        {
            string why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the host port is already in use",
                SocketError.AddressNotAvailable => $"{address} is not an address of this host",
                _ => e.Message,
            };
            throw ConmanErrors.PortInUse(PortSpecs.Format(port), networking.Name, why);
        }
        return (uint)((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
