using System.Net.Http;
using System.Net.Sockets;
using Conman.Engine.Containers;

namespace Conman.Engine.Readiness;

/// <summary>
/// An HTTP GET of a path on a port of the container answers with a status (Testcontainers'
/// Wait.forHttp(path).forPort(port).forStatusCode(status)), over the container's own loopback.
/// </summary>
public sealed class HttpStatusCondition(int port, string path, int status) : ReadinessCondition, IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private HttpClient? _client;
    private int _pid;
    private string _lastAnswer = "no answer yet";

    public override string Description => $"HTTP {status} from GET {path} on port {port} (last: {_lastAnswer})";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        if (container.Pid is not int pid) return false;
        if (_client is null || pid != _pid) ClientFor(pid);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(RequestTimeout);
            using var response = _client!.GetAsync($"http://127.0.0.1:{port}{path}", timeout.Token).GetAwaiter().GetResult();
            _lastAnswer = $"{(int)response.StatusCode}";
            return (int)response.StatusCode == status;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            _lastAnswer = e.Message;
            return false;
        }
    }

    private void ClientFor(int pid)
    {
        _client?.Dispose();
        _pid = pid;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancel) => new ValueTask<Stream>(ContainerNetworkNamespace.ConnectAsync(pid, port, cancel)),
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        _client = new HttpClient(handler);
    }

    public void Dispose() => _client?.Dispose();
}
