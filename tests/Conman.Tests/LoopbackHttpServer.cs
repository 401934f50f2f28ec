using System.Net;

namespace Conman.Tests;

/// <summary>
/// An HTTP server of a test's own on loopback (a registry that misbehaves, a token service): each
/// request is answered by the handler given, one after another. A client that went away in the
/// middle of an answer ends that answer only.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _answer;
    private readonly Task _serving;

    /// <param name="answer">Writes the response (its status, headers, body); the server closes it.</param>
    /// <param name="port">A port from <see cref="LoopbackPorts"/>; a new one when null.</param>
    public LoopbackHttpServer(Func<HttpListenerContext, Task> answer, int? port = null)
    {
        _answer = answer;
        Address = $"127.0.0.1:{port ?? LoopbackPorts.Next()}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    /// <summary>host:port.</summary>
    public string Address { get; }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            try
            {
                await _answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client stopped reading and closed the connection (what a bounds test wants), or the test ended.
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
