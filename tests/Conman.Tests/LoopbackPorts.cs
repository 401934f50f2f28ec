using System.Net;
using System.Net.Sockets;

namespace Conman.Tests;

/// <summary>
/// Free loopback ports for the tests' own HTTP servers. xunit runs test classes in parallel: a port
/// one class probed and released could be handed to another class's probe before the first bound
/// it, and two HttpListeners of one process on one port share an endpoint whose closing then
/// fails ("Address already in use"). Ports are handed out once per process.
/// </summary>
internal static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                if (Given.Add(port)) return port;
            }
        }
    }
}

/// <summary>
/// The test classes that run an HttpListener of their own run one after another: .NET's managed
/// HttpListener keeps its endpoints in one table per process, and closing one while another class
/// starts or closes its own failed now and then with "Address already in use".
/// </summary>
[CollectionDefinition(Name)]
public sealed class LoopbackHttpServers
{
    public const string Name = "Loopback HTTP servers";
}
