using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Conman.Engine.Images;

/// <summary>
/// The OCI distribution API (registry v2) for one repository: manifests and blobs, with the
/// authentication registries ask for in a 401's WWW-Authenticate: Bearer tokens from the
/// registry's token service (anonymous, or with the user's credentials) and Basic.
/// Plain HTTP is used for registries on loopback addresses, as Docker does; elsewhere HTTPS, and
/// with <c>allowInsecure</c>, HTTPS without certificate checks, falling back to plain HTTP.
/// </summary>
internal sealed partial class RegistryClient : IDisposable
{
    private static readonly string ManifestAccept = string.Join(", ",
        MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

    private readonly ImageReference _reference;
    private readonly NetworkCredential? _credential;
    private readonly HttpClient _http;
    private string _scheme;
    private readonly bool _mayFallBackToHttp;
    private AuthenticationHeaderValue? _authorization;
    private readonly string _access;
    private readonly IReadOnlyList<string> _alsoPulledFrom;

    /// <param name="push">Asks tokens for push access too.</param>
    /// <param name="alsoPulledFrom">Other repositories of the registry tokens should cover for pulling (cross-repository mounts).</param>
    public RegistryClient(ImageReference reference, NetworkCredential? credential, bool allowInsecure, bool push = false,
        IReadOnlyList<string>? alsoPulledFrom = null)
    {
        _access = push ? "pull,push" : "pull";
        _alsoPulledFrom = alsoPulledFrom ?? [];
        _reference = reference;
        _credential = credential;
        bool loopback = IsLoopback(reference.Registry);
        _scheme = loopback ? "http" : "https";
        _mayFallBackToHttp = allowInsecure && !loopback;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (allowInsecure) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("conman", "1.0"));
    }

    /// <summary>Docker Hub's API lives on registry-1.docker.io, not on docker.io.</summary>
    private string Host => _reference.Registry == ImageReference.DockerHub ? "registry-1.docker.io" : _reference.Registry;

    public static bool IsLoopback(string registry)
    {
        string host = new Uri("http://" + registry).Host.Trim('[', ']');
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>A manifest or index, by tag or digest: its bytes, media type and (computed) digest.</summary>
    public (byte[] Body, string MediaType, Digest Digest) GetManifest(string tagOrDigest, CancellationToken cancel)
    {
        using var response = Send($"manifests/{tagOrDigest}", ManifestAccept, cancel);
        long? length = response.Content.Headers.ContentLength;
        if (length > OciDocuments.MaxDocumentSize) throw ConmanErrors.ManifestTooLarge(_reference, tagOrDigest, OciDocuments.MaxDocumentSize);
        using var stream = response.Content.ReadAsStream(cancel);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > OciDocuments.MaxDocumentSize) throw ConmanErrors.ManifestTooLarge(_reference, tagOrDigest, OciDocuments.MaxDocumentSize);
        }
        byte[] body = buffer.ToArray();
        var digest = Digest.Of(body);
        if (Digest.TryParse(tagOrDigest, out var wanted) && wanted != digest)
        {
            throw ConmanErrors.ManifestDigestMismatch(wanted.ToString(), digest.ToString());
        }
        // By tag, the registry's own word on the digest is the check: a manifest changed on the way disagrees with it.
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var announced) &&
            Digest.TryParse(announced.FirstOrDefault(), out var claimed) && claimed != digest)
        {
            throw ConmanErrors.AnnouncedDigestMismatch(tagOrDigest, claimed.ToString(), digest.ToString());
        }
        string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        return (body, mediaType, digest);
    }

    /// <summary>A blob's content; the caller checks it against its digest as it reads.</summary>
    public Stream GetBlob(Digest digest, CancellationToken cancel)
    {
        var response = Send($"blobs/{digest}", null, cancel);
        return new ResponseStream(response, response.Content.ReadAsStream(cancel));
    }

    private HttpResponseMessage Send(string path, string? accept, CancellationToken cancel) =>
        Send(HttpMethod.Get, RepositoryPath(path), accept, null, cancel);

    /// <summary>A request that must succeed (2xx); its failure is an error that says what the registry said.</summary>
    /// <param name="path">After the scheme and host: "/v2/..." with its query, or an upload location the registry gave.</param>
    /// <param name="content">Makes the body afresh, for the request sent again after authenticating.</param>
    private HttpResponseMessage Send(HttpMethod method, string path, string? accept, Func<HttpContent>? content, CancellationToken cancel)
    {
        var (response, authenticated) = Exchange(method, path, accept, content, cancel);
        if (response.IsSuccessStatusCode) return response;
        // Named in the repository's terms ("manifests/1"), as the messages say "in the repository ...".
        string shown = path.StartsWith(RepositoryPath(""), StringComparison.Ordinal) ? path[RepositoryPath("").Length..] : path;
        using (response) throw FailureFor(response, shown, authenticated, cancel);
    }

    /// <summary>A request, authenticated when the registry's 401 asks; the response whatever its status.</summary>
    private (HttpResponseMessage Response, bool Authenticated) Exchange(HttpMethod method, string path, string? accept,
        Func<HttpContent>? content, CancellationToken cancel)
    {
        var response = SendOnce(method, path, accept, content, cancel);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return (response, false);
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        _authorization = Authenticate(challenge, cancel);
        return (SendOnce(method, path, accept, content, cancel), true);
    }

    /// <summary>
    /// A request, sent again while the registry says it is busy or failing (429, 500, 502, 503, 504)
    /// or the connection breaks, up to <see cref="Attempts"/> times with a growing pause (or the
    /// pause its Retry-After asks, up to <see cref="LongestPause"/>), as Docker retries a layer
    /// download five times. Only a read: an upload sent twice is not the same as sent once.
    /// </summary>
    private HttpResponseMessage SendOnce(HttpMethod method, string path, string? accept, Func<HttpContent>? content, CancellationToken cancel)
    {
        bool retried = method == HttpMethod.Get || method == HttpMethod.Head;
        for (int attempt = 1; ; attempt++)
        {
            bool last = !retried || attempt == Attempts;
            HttpResponseMessage response;
            try
            {
                response = SendOne(method, path, accept, content, cancel);
            }
            catch (ConmanException e) when (!last && e.InnerException is HttpRequestException broken && IsReset(broken))
            {
                EngineTrace.Verbose($"{_reference.Registry} {path}: {e.InnerException.Message}; trying again ({attempt + 1} of {Attempts})");
                Pause(attempt, null, cancel);
                continue;
            }
            if (last || (int)response.StatusCode is not (429 or 500 or 502 or 503 or 504)) return response;
            EngineTrace.Verbose($"{_reference.Registry} {path}: {(int)response.StatusCode} {response.ReasonPhrase}; trying again ({attempt + 1} of {Attempts})");
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            Pause(attempt, retryAfter, cancel);
        }
    }

    /// <summary>The connection broke under the request (reset, or ended before the answer), unlike a refused one: the registry is there.</summary>
    private static bool IsReset(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ResponseEnded
        || e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted }
        || e.InnerException is IOException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted } };

    private const int Attempts = 5;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500), LongestPause = TimeSpan.FromSeconds(10);

    private static void Pause(int attempt, TimeSpan? asked, CancellationToken cancel)
    {
        var pause = asked ?? FirstPause * Math.Pow(2, attempt - 1);
        if (cancel.WaitHandle.WaitOne(pause < LongestPause ? pause : LongestPause)) cancel.ThrowIfCancellationRequested();
    }

    private HttpResponseMessage SendOne(HttpMethod method, string path, string? accept, Func<HttpContent>? content, CancellationToken cancel)
    {
        try
        {
            return _http.Send(Request(method, path, accept, content), HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e) when (_mayFallBackToHttp && _scheme == "https" && e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            _scheme = "http";
            return _http.Send(Request(method, path, accept, content), HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e)
        {
            throw ConmanErrors.RegistryUnreachable(_reference, e);
        }
    }

    private string RepositoryPath(string path) => $"/v2/{_reference.Repository}/{path}";

    private HttpRequestMessage Request(HttpMethod method, string path, string? accept, Func<HttpContent>? content)
    {
        var request = new HttpRequestMessage(method, $"{_scheme}://{Host}{path}");
        EngineTrace.Verbose($"{method} {request.RequestUri}");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.Authorization = _authorization;
        request.Content = content?.Invoke();
        return request;
    }

    private AuthenticationHeaderValue Authenticate(AuthenticationHeaderValue? challenge, CancellationToken cancel)
    {
        if (challenge is null) throw ConmanErrors.AuthenticationUndescribed(_reference);
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (_credential is null) throw ConmanErrors.AuthenticationRequired(_reference);
            return BasicCredentials();
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw ConmanErrors.AuthenticationUnsupported(_reference, challenge.Scheme);
        }
        var parameters = ParseChallenge(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out string? realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) ||
            realmUri.Scheme is not ("https" or "http"))
        {
            throw ConmanErrors.NoTokenService(_reference);
        }
        var query = new List<string>();
        if (parameters.TryGetValue("service", out string? service)) query.Add("service=" + Uri.EscapeDataString(service));
        // The scope the challenge names, else this repository's; a push asks for push too, and
        // for pull on the repositories it mounts blobs from.
        string scope = parameters.GetValueOrDefault("scope") ?? $"repository:{_reference.Repository}:{_access}";
        if (_reference.Repository.Length > 0) query.Add("scope=" + Uri.EscapeDataString(scope));
        if (_access != "pull" && !scope.EndsWith("push", StringComparison.Ordinal)) query.Add("scope=" + Uri.EscapeDataString($"repository:{_reference.Repository}:{_access}"));
        foreach (string source in _alsoPulledFrom) query.Add("scope=" + Uri.EscapeDataString($"repository:{source}:pull"));
        var builder = new UriBuilder(realmUri) { Query = string.Join('&', query) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        EngineTrace.Verbose($"GET {builder.Uri.GetLeftPart(UriPartial.Path)} (token)");
        if (_credential is not null) request.Headers.Authorization = BasicCredentials();
        using var response = _http.Send(request, cancel);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw _credential is null ? ConmanErrors.AuthenticationRequired(_reference) : ConmanErrors.CredentialsRefused(_reference, _credential.UserName);
        }
        if (!response.IsSuccessStatusCode) throw ConmanErrors.TokenServiceFailed(_reference, (int)response.StatusCode);
        byte[] body = ReadBounded(response, MaxTokenResponseSize, cancel) ?? throw ConmanErrors.TokenResponseTooLarge(_reference, MaxTokenResponseSize);
        using var document = JsonDocument.Parse(body);
        string? token = OciDocuments.OptionalString(document.RootElement, "token") ?? OciDocuments.OptionalString(document.RootElement, "access_token");
        if (string.IsNullOrEmpty(token)) throw ConmanErrors.NoToken(_reference);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private AuthenticationHeaderValue BasicCredentials() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credential!.UserName}:{_credential.Password}")));

    /// <summary>realm="...",service="...",scope="..." (RFC 7235 auth-params, values quoted or not).</summary>
    public static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || parameters[i] == ' ')) i++;
            int equals = parameters.IndexOf('=', i);
            if (equals < 0) break;
            string key = parameters[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < parameters.Length && parameters[i] == '"')
            {
                for (i++; i < parameters.Length && parameters[i] != '"'; i++)
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length) i++;
                    value.Append(parameters[i]);
                }
                i++;
            }
            else
            {
                for (; i < parameters.Length && parameters[i] != ','; i++) value.Append(parameters[i]);
            }
            result[key] = value.ToString().Trim();
        }
        return result;
    }

    private ConmanException FailureFor(HttpResponseMessage response, string path, bool authenticated, CancellationToken cancel)
    {
        string detail = RegistryErrorMessage(response, cancel);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => ConmanErrors.ImageNotFoundInRegistry(_reference, path, detail),
            HttpStatusCode.Unauthorized when _credential is null => ConmanErrors.AuthenticationRequired(_reference),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                ConmanErrors.AccessRefused(_reference, authenticated ? _credential?.UserName : null, detail),
            _ => ConmanErrors.RegistryError(_reference, (int)response.StatusCode, response.ReasonPhrase, path, detail),
        };
    }

    /// <summary>
    /// A token response holds a token of a few KiB (a JWT); a registry's error body a few lines.
    /// Either is read no further than this, so that a hostile server cannot make the session
    /// take gigabytes of memory.
    /// </summary>
    private const int MaxTokenResponseSize = 1 << 20, MaxErrorBodySize = 64 << 10;

    /// <summary>A small body read whole, no further than <paramref name="limit"/>; null when it is larger.</summary>
    private static byte[]? ReadBounded(HttpResponseMessage response, int limit, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength > limit) return null;
        using var stream = response.Content.ReadAsStream(cancel);
        var buffer = new byte[limit + 1];
        int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return length > limit ? null : buffer[..length];
    }

    /// <summary>Registries explain failures in {"errors":[{"code","message"}]}; a body too large to be that explains nothing.</summary>
    private static string RegistryErrorMessage(HttpResponseMessage response, CancellationToken cancel)
    {
        try
        {
            if (ReadBounded(response, MaxErrorBodySize, cancel) is not { } body) return "";
            using var document = JsonDocument.Parse(body);
            var messages = document.RootElement.GetProperty("errors").EnumerateArray()
                .Select(e => OciDocuments.OptionalString(e, "message") ?? OciDocuments.OptionalString(e, "code")).Where(m => m is not null);
            string joined = string.Join("; ", messages);
            return joined.Length == 0 ? "" : $" ({joined})";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or HttpRequestException or IOException)
        {
            return "";
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A response body that disposes its response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream body) : ForwardingReadStream(body)
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Inner.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
