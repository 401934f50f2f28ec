namespace Conman;

/// <summary>
/// A published port of a running container, as Get-ContainerPort returns it (docker port;
/// Testcontainers' mapped port): where the host reaches the container's port.
/// </summary>
public sealed class ContainerPort
{
    internal ContainerPort(string containerName, Engine.Networks.PublishedPort port)
    {
        ContainerName = containerName;
        Port = port.ContainerPort;
        Protocol = port.Protocol;
        HostIP = port.HostIP;
        HostPort = port.HostPort;
        Endpoint = port.Endpoint;
    }

    public string ContainerName { get; }
    /// <summary>The port in the container.</summary>
    public int Port { get; }
    public string Protocol { get; }
    /// <summary>The host address it is published on; 0.0.0.0 (or ::) for every one.</summary>
    public string HostIP { get; }
    public int HostPort { get; }

    /// <summary>Where a client on the host connects: "127.0.0.1:36321" (loopback for a port published on every address).</summary>
    public string Endpoint { get; }

    /// <summary>Endpoint as an HTTP URL, for Invoke-WebRequest and the readiness checks.</summary>
    public Uri Url => new($"http://{Endpoint}/");

    /// <summary>As docker port shows it: 80/tcp -> 0.0.0.0:36321.</summary>
    public override string ToString() => $"{Port}/{Protocol} -> {HostIP}:{HostPort}";
}
