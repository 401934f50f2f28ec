using System.Net;
using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// A registry on loopback that is busy or failing for a while (429, 503), as registries are under
/// load: the engine asks again with a pause, up to five times, as Docker does, and its error then
/// names the image and says what the registry said.
/// </summary>
[Collection(LoopbackHttpServers.Name)]
public sealed class RegistryRetryTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-registry-retry").FullName;
    private readonly LoopbackHttpServer _server;
    private readonly string _address;
    private int _manifestRequests;

    public RegistryRetryTests()
    {
        _server = new LoopbackHttpServer(Answer);
        _address = _server.Address;
    }

    /// <summary>
    /// busy/app: 429 (Retry-After: 1), then 503, then the manifest is unknown (404).
    /// down/app: 503 with the registry's own error message, every time.
    /// </summary>
    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        string path = context.Request.Url?.AbsolutePath ?? "";
        int seen = path.Contains("/manifests/") ? Interlocked.Increment(ref _manifestRequests) : 0;
        response.ContentType = "application/json";
        (int status, string code, string message) = path switch
        {
            _ when path.StartsWith("/v2/busy/") && seen == 1 => (429, "TOOMANYREQUESTS", "slow down"),
            _ when path.StartsWith("/v2/busy/") && seen == 2 => (503, "UNAVAILABLE", "try later"),
            _ when path.StartsWith("/v2/down/") => (503, "UNAVAILABLE", "the storage backend is down"),
            _ => (404, "MANIFEST_UNKNOWN", "manifest unknown"),
        };
        response.StatusCode = status;
        if (status == 429) response.Headers["Retry-After"] = "1";
        await response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"{message}\"}}]}}"));
    }

    private ConmanException PullError(string repository) => Assert.Throws<ConmanException>(() =>
        new ImageManager(new StoreLayout(Path.Combine(_work, "root"))).Pull($"{_address}/{repository}:1", credential: null, allowInsecure: false, _ => { }, CancellationToken.None));

    [Fact]
    public void A_busy_registry_is_asked_again_until_it_answers()
    {
        var error = PullError("busy/app");
        Assert.Equal(ErrorIds.ImageNotFoundInRegistry, error.ErrorId);
        Assert.Equal(3, _manifestRequests);
    }

    [Fact]
    public void A_failing_registry_is_asked_five_times_and_its_own_message_is_in_the_error()
    {
        var error = PullError("down/app");
        Assert.Equal(ErrorIds.RegistryError, error.ErrorId);
        Assert.Equal(5, _manifestRequests);
        Assert.Contains("down/app", error.Message);
        Assert.Contains("the storage backend is down", error.Message);
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
