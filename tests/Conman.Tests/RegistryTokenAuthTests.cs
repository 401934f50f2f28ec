using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// Bearer token authentication end to end: Debian's docker-registry set up for token auth, as
/// Docker Hub is, with <see cref="TokenService"/> as its token service; images pushed by skopeo
/// (which fetches its own tokens) and pulled by the engine.
/// </summary>
[Collection(LoopbackHttpServers.Name)]
public sealed class RegistryTokenAuthTests : IDisposable
{
    private const string User = "tester", Password = "t0ken-pass";
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-token").FullName;
    private readonly TokenService _tokens;
    private readonly Process _registry;
    private readonly string _address;
    private readonly ImageManager _images;

    public RegistryTokenAuthTests()
    {
        _tokens = new TokenService(FreePort(), User, Password);
        File.WriteAllText(Path.Combine(_work, "signer.pem"), _tokens.CertificatePem);
        int port = FreePort();
        _address = $"127.0.0.1:{port}";
        File.WriteAllText(Path.Combine(_work, "config.yml"), $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {_work}/data
            http:
              addr: {_address}
            auth:
              token:
                realm: {_tokens.Realm}
                service: {TokenService.Service}
                issuer: {TokenService.Issuer}
                rootcertbundle: {_work}/signer.pem
            """);
        _registry = Process.Start(new ProcessStartInfo("docker-registry", ["serve", Path.Combine(_work, "config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        WaitForPort(port);

        string layout = Path.Combine(_work, "layout");
        TestLayouts.Write(layout, "busybox:1", [TestLayouts.BusyboxLayer()]);
        Push(layout, "public/busybox:1");
        Push(layout, "private/busybox:1");
        _images = new ImageManager(new StoreLayout(Path.Combine(_work, "root")));
    }

    [Fact]
    public void Anonymous_pulls_get_a_token_of_their_own()
    {
        int before = _tokens.TokensIssued;
        var image = _images.Pull($"{_address}/public/busybox:1", null, allowInsecure: false, _ => { }, CancellationToken.None);
        Assert.Equal($"{_address}/public/busybox:1", Assert.Single(image.Names));
        Assert.True(_tokens.TokensIssued > before);
    }

    [Fact]
    public void Private_pulls_need_the_credentials_the_token_service_accepts()
    {
        string reference = $"{_address}/private/busybox:1";
        Assert.Equal(ErrorIds.AuthenticationRequired, Assert.Throws<ConmanException>(() =>
            _images.Pull(reference, null, false, _ => { }, CancellationToken.None)).ErrorId);
        Assert.Equal(ErrorIds.AuthenticationFailed, Assert.Throws<ConmanException>(() =>
            _images.Pull(reference, new NetworkCredential(User, "wrong"), false, _ => { }, CancellationToken.None)).ErrorId);
        Assert.Empty(_images.List());
        var image = _images.Pull(reference, new NetworkCredential(User, Password), false, _ => { }, CancellationToken.None);
        Assert.Equal(reference, Assert.Single(image.Names));
    }

    [Fact]
    public void A_push_asks_tokens_for_push_and_for_pull_on_the_repository_it_mounts_from()
    {
        var pulled = _images.Pull($"{_address}/public/busybox:1", null, false, _ => { }, CancellationToken.None);
        string destination = $"{_address}/private/pushed:1";
        Assert.Equal(ErrorIds.AuthenticationRequired, Assert.Throws<ConmanException>(() =>
            _images.Push(pulled.Id, destination, null, false, _ => { }, CancellationToken.None)).ErrorId);
        var credential = new NetworkCredential(User, Password);
        var pushed = _images.Push(pulled.Id, destination, credential, false, _ => { }, CancellationToken.None);
        Assert.Equal(1, pushed.LayersSent);
        Assert.Equal(pulled.Id, pushed.ImageId);
        // Named for the destination too, the image's next push elsewhere on the registry mounts its layer from there.
        _images.Tag(pulled.Id, destination);
        var mounted = _images.Push(destination, $"{_address}/private/again:1", credential, false, _ => { }, CancellationToken.None);
        Assert.Equal(1, mounted.LayersMounted);

        var elsewhere = new ImageManager(new StoreLayout(Path.Combine(_work, "elsewhere")));
        Assert.Equal(pulled.Id, elsewhere.Pull($"{_address}/private/again:1@{mounted.Digest}", credential, false, _ => { }, CancellationToken.None).Id);
    }

    [Fact]
    public void A_cancelled_pull_lists_nothing_keeps_its_complete_blobs_and_the_next_pull_finishes()
    {
        string reference = $"{_address}/public/busybox:1";
        var layout = new StoreLayout(Path.Combine(_work, "root"));
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => _images.Pull(reference, null, false, progress =>
        {
            // Mid-layer: the manifest and config are complete by then.
            if (progress is { Activity: "Pulling", Completed: false, Done: > 0 }) cancel.Cancel();
        }, cancel.Token));
        Assert.Empty(_images.List());
        Assert.Empty(Directory.GetFiles(layout.IngestFolder));
        Assert.Equal(2, Directory.GetFiles(layout.BlobsFolder).Length);
        Assert.Single(_images.Pull(reference, null, false, _ => { }, CancellationToken.None).Names);
        Assert.Empty(Directory.GetFiles(layout.LeasesFolder));
    }

    [Fact]
    public void What_a_cancelled_pull_fetched_outlives_garbage_collection_and_is_not_fetched_again()
    {
        string reference = $"{_address}/public/busybox:1";
        var layout = PullCancelledWhileUnpacking(reference);
        // Any other image work collects garbage; the unfinished pull's lease keeps its blobs.
        _images.CollectGarbage();
        Assert.Equal(3, Directory.GetFiles(layout.BlobsFolder).Length);

        var fetching = new List<ImageProgress>();
        _images.Pull(reference, null, false, progress =>
        {
            if (progress is { Activity: "Pulling", Completed: false }) fetching.Add(progress);
        }, CancellationToken.None);
        Assert.Empty(fetching);
        Assert.Empty(Directory.GetFiles(layout.LeasesFolder));
    }

    [Fact]
    public void A_lease_older_than_a_day_no_longer_keeps_a_cancelled_pull_s_blobs()
    {
        var layout = PullCancelledWhileUnpacking($"{_address}/public/busybox:1");
        string lease = Assert.Single(Directory.GetFiles(layout.LeasesFolder));
        File.SetLastWriteTimeUtc(lease, DateTime.UtcNow - PullLeases.Lifetime - TimeSpan.FromMinutes(1));
        _images.CollectGarbage();
        Assert.Empty(Directory.GetFiles(layout.BlobsFolder));
        Assert.Empty(Directory.GetFiles(layout.LeasesFolder));
    }

    /// <summary>Pulls, cancelling once unpacking began (every blob is complete by then); returns the store's layout.</summary>
    private StoreLayout PullCancelledWhileUnpacking(string reference)
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => _images.Pull(reference, null, false, progress =>
        {
            if (progress.Activity == "Unpacking") cancel.Cancel();
        }, cancel.Token));
        return new StoreLayout(Path.Combine(_work, "root"));
    }

    private void Push(string layout, string target)
    {
        var skopeo = Process.Start(new ProcessStartInfo("skopeo",
            ["copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}", $"oci:{layout}", $"docker://{_address}/{target}"])
        {
            RedirectStandardError = true,
        })!;
        string error = skopeo.StandardError.ReadToEnd();
        skopeo.WaitForExit();
        if (skopeo.ExitCode != 0) throw new InvalidOperationException($"skopeo could not push {target}: {error}");
    }

    private static int FreePort() => LoopbackPorts.Next();

    private void WaitForPort(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_registry.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose()
    {
        if (!_registry.HasExited) _registry.Kill();
        _registry.WaitForExit();
        _registry.Dispose();
        _tokens.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
