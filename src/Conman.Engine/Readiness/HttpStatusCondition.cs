using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Conman.Engine.Containers;

namespace Conman.Engine.Readiness;

/// <summary>
/// An HTTP GET of a path on a port of the container answers with a status, and with a body that
/// matches a pattern when one is given (Testcontainers' Wait.forHttp(path).forPort(port)
/// .forStatusCode(status).forResponsePredicate): over the container's own loopback, or from the
/// host through the port's published host port (the way the test itself will call it).
/// </summary>
public sealed class HttpStatusCondition : ReadinessCondition, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Enough of a body to hold what a readiness page says; a larger one is matched on its start.</summary>
    private const int MaxBodyRead = 64 << 10;
    private readonly int _port;
    private readonly string _path;
    private readonly int _status;
    private readonly Regex? _body;
    private readonly bool _fromHost;
    private HttpClient? _client;
    private int _pid;
    private string _lastAnswer = "no answer yet";

    /// <param name="bodyPattern">A .NET regular expression the answer's body must match; null: any body.</param>
    /// <param name="fromHost">Through the port's published host port, from the host, instead of the container's loopback.</param>
    public HttpStatusCondition(int port, string path, int status, string? bodyPattern = null, bool fromHost = false)
    {
        (_port, _path, _status, _fromHost) = (port, path, status, fromHost);
        try
        {
            _body = bodyPattern is null ? null : new Regex(bodyPattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw ConmanErrors.InvalidLogPattern(bodyPattern!, e.Message);
        }
    }

    public override string Description =>
        $"HTTP {_status}{(_body is null ? "" : $" with a body matching '{_body}'")} from GET {_path} on port {_port}{(_fromHost ? " through its published host port" : "")} (last: {_lastAnswer})";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        string? url = _fromHost ? HostUrl(container) : container.Pid is int pid ? NamespaceUrl(pid) : null;
        if (url is null) return false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(RequestTimeout);
            using var response = _client!.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).GetAwaiter().GetResult();
            _lastAnswer = $"{(int)response.StatusCode}";
            if ((int)response.StatusCode != _status) return false;
            if (_body is null) return true;
            string body = ReadBody(response, timeout.Token);
            if (_body.IsMatch(body)) return true;
            _lastAnswer += $" with a body not matching: {(body.Length > 80 ? body[..80] + "..." : body).ReplaceLineEndings(" ")}";
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            _lastAnswer = e.Message;
            return false;
        }
    }

    private static string ReadBody(HttpResponseMessage response, CancellationToken cancel)
    {
        using var stream = response.Content.ReadAsStream(cancel);
        var buffer = new byte[MaxBodyRead];
        int length = 0, read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Where the host reaches the port: its published address (loopback for every address) and host port; null while it has none.</summary>
    private string? HostUrl(ContainerSnapshot container)
    {
        var published = container.Network.Ports.FirstOrDefault(p => p.ContainerPort == _port && p.Protocol == "tcp" && p.HostPort > 0);
        if (published is null)
        {
            _lastAnswer = $"port {_port} is not published on the host";
            return null;
        }
        _client ??= new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false });
        return $"http://{published.Endpoint}{_path}";
    }

    private string NamespaceUrl(int pid)
    {
        if (_client is null || pid != _pid) ClientFor(pid);
        return $"http://127.0.0.1:{_port}{_path}";
    }

    private void ClientFor(int pid)
    {
        _client?.Dispose();
        _pid = pid;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancel) => new ValueTask<Stream>(ContainerNetworkNamespace.ConnectAsync(pid, _port, cancel)),
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        _client = new HttpClient(handler);
    }

    public void Dispose() => _client?.Dispose();
}
