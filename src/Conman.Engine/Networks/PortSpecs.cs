using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// -Publish as Docker writes it: [hostIp:][hostPort:]containerPort[/tcp|udp], where either port
/// may be a range (8080-8081:80-81, the same length on both sides), and a missing or empty host
/// port is one chosen free at each start (docker -p 80, -p 127.0.0.1::80).
/// </summary>
internal static class PortSpecs
{
    public static IReadOnlyList<PortPublish> Parse(string spec)
    {
        string text = spec.Trim();
        string protocol = "tcp";
        int slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant();
            text = text[..slash];
            if (protocol is not ("tcp" or "udp")) throw ConmanErrors.InvalidPortSpec(spec, $"the protocol is tcp or udp, not '{protocol}'");
        }
        // The host address may itself hold colons only as IPv6, which Conman's bridge networks do not publish on.
        string[] parts = text.Split(':');
        (string hostIp, string hostPorts, string containerPorts) = parts switch
        {
            [var c] => ("", "", c),
            [var h, var c] => ("", h, c),
            [var ip, var h, var c] => (ip, h, c),
            _ => throw ConmanErrors.InvalidPortSpec(spec, "too many ':'"),
        };
        if (hostIp.Length > 0 && !Subnet.IsDottedQuad(hostIp))
        {
            throw ConmanErrors.InvalidPortSpec(spec, $"'{hostIp}' is not an IPv4 address");
        }
        if (hostIp == "0.0.0.0") hostIp = "";
        var (containerFirst, containerLast) = Range(containerPorts, spec);
        uint count = containerLast - containerFirst + 1;
        uint hostFirst = 0;
        if (hostPorts.Length > 0)
        {
            var (first, last) = Range(hostPorts, spec);
            if (last - first + 1 != count) throw ConmanErrors.InvalidPortSpec(spec, "the host and container ranges differ in length");
            hostFirst = first;
        }
        var ports = new List<PortPublish>();
        for (uint i = 0; i < count; i++)
        {
            ports.Add(new PortPublish { HostIp = hostIp, HostPort = hostFirst == 0 ? 0 : hostFirst + i, ContainerPort = containerFirst + i, Protocol = protocol });
        }
        return ports;
    }

    /// <summary>An image's ExposedPorts entry ("80/tcp", "53/udp", "8080"), published on a free host port.</summary>
    public static PortPublish FromExposed(string exposed)
    {
        var ports = Parse(exposed);
        if (ports.Count != 1) throw ConmanErrors.InvalidPortSpec(exposed, "an exposed port is one port");
        return ports[0];
    }

    /// <summary>As docker ps shows it: 0.0.0.0:8080->80/tcp.</summary>
    public static string Format(PortPublish port) => PublishedPort.From(port).ToString();

    /// <summary>As docker -p writes one port, which <see cref="Parse"/> takes back: "8080:80/tcp", "127.0.0.1::53/udp", "80/tcp".</summary>
    public static string ToPublish(PortPublish port) =>
        (port.HostIp.Length > 0 ? $"{port.HostIp}:{(port.HostPort == 0 ? "" : port.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture))}:"
            : port.HostPort == 0 ? "" : $"{port.HostPort}:") + $"{port.ContainerPort}/{port.Protocol}";

    private static (uint First, uint Last) Range(string text, string spec)
    {
        string[] bounds = text.Split('-');
        if (bounds.Length is < 1 or > 2) throw ConmanErrors.InvalidPortSpec(spec, $"'{text}' is not a port or a range");
        uint first = Port(bounds[0], spec), last = bounds.Length == 2 ? Port(bounds[1], spec) : first;
        if (last < first) throw ConmanErrors.InvalidPortSpec(spec, $"the range {text} ends before it starts");
        return (first, last);
    }

    private static uint Port(string text, string spec) =>
        uint.TryParse(text, System.Globalization.NumberStyles.None, null, out uint port) && port is >= 1 and <= 65535
            ? port
            : throw ConmanErrors.InvalidPortSpec(spec, $"'{text}' is not a port");
}
