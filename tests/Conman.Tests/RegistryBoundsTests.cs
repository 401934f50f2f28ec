using System.Net;
using System.Net.Sockets;
using System.Text;
using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// A registry on loopback that sends what no real one should: a token response and an error body
/// of many megabytes. The engine reads a bounded amount of each.
/// </summary>
[Collection(LoopbackHttpServers.Name)]
public sealed class RegistryBoundsTests : IDisposable
{
    private const int HugeBody = 16 << 20;
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-registry-bounds").FullName;
    private readonly LoopbackHttpServer _server;
    private readonly string _address;

    public RegistryBoundsTests()
    {
        _server = new LoopbackHttpServer(Answer);
        _address = _server.Address;
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        string query = context.Request.Url?.Query ?? "";
        if (context.Request.Url?.AbsolutePath == "/token")
        {
            response.ContentType = "application/json";
            if (query.Contains("hugetoken")) await WriteHuge(response, "{\"token\":\"", "\"}");
            else await response.OutputStream.WriteAsync("{\"token\":\"t\"}"u8.ToArray());
        }
        else if (context.Request.Headers["Authorization"] is null)
        {
            response.StatusCode = 401;
            response.Headers["WWW-Authenticate"] = $"Bearer realm=\"http://{_address}/token\",service=\"bounds\"";
        }
        else
        {
            response.StatusCode = 404;
            response.ContentType = "application/json";
            await WriteHuge(response, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"", "\"}]}");
        }
    }

    private static async Task WriteHuge(HttpListenerResponse response, string before, string after)
    {
        response.SendChunked = true;
        await response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes(before));
        byte[] block = Encoding.ASCII.GetBytes(new string('x', 64 << 10));
        for (int sent = 0; sent < HugeBody; sent += block.Length) await response.OutputStream.WriteAsync(block);
        await response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes(after));
    }

    private ConmanException PullError(string repository) => Assert.Throws<ConmanException>(() =>
        new ImageManager(new StoreLayout(Path.Combine(_work, "root"))).Pull($"{_address}/{repository}:1", credential: null, allowInsecure: false, _ => { }, CancellationToken.None));

    [Fact]
    public void A_token_response_too_large_to_be_a_token_is_refused()
    {
        var error = PullError("hugetoken/app");
        Assert.Equal(ErrorIds.AuthenticationFailed, error.ErrorId);
        Assert.Contains("where a token belongs", error.Message);
    }

    [Fact]
    public void An_error_body_too_large_to_be_an_explanation_is_not_read_whole()
    {
        var error = PullError("hugeerror/app");
        Assert.Equal(ErrorIds.ImageNotFoundInRegistry, error.ErrorId);
        Assert.InRange(error.Message.Length, 1, 999);
    }

    public void Dispose()
    {
        try
        {
            _server.Dispose();
        }
        finally
        {
            Directory.Delete(_work, recursive: true);
        }
    }
}
