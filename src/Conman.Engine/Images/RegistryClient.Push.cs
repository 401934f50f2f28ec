using System.Net;
using System.Net.Http.Headers;

namespace Conman.Engine.Images;

/// <summary>
/// The push half of the distribution API: blobs checked for (HEAD), mounted from another
/// repository of the registry, or uploaded (POST for a session, then one PUT with the digest);
/// then the manifest (PUT by tag). And the check a login makes (GET /v2/).
/// </summary>
internal sealed partial class RegistryClient
{
    /// <summary>Whether the repository has the blob already: then it is not sent again.</summary>
    public bool HasBlob(Digest digest, CancellationToken cancel)
    {
        string path = RepositoryPath($"blobs/{digest}");
        var (response, authenticated) = Exchange(HttpMethod.Head, path, null, null, cancel);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            if (response.IsSuccessStatusCode) return true;
            throw FailureFor(response, $"blobs/{digest}", authenticated, cancel);
        }
    }

    /// <summary>
    /// Starts a blob upload. With <paramref name="mountFrom"/>, asks the registry to mount the
    /// blob from that repository instead; returns null when it did (201), else the upload's location.
    /// </summary>
    public string? StartUpload(Digest digest, string? mountFrom, CancellationToken cancel)
    {
        string query = mountFrom is null ? "" : $"?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(mountFrom)}";
        using var response = Send(HttpMethod.Post, RepositoryPath("blobs/uploads/" + query), null, () => new ByteArrayContent([]), cancel);
        if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created) return null;
        return LocationOf(response);
    }

    /// <summary>Uploads a blob in one PUT to the upload's location; the registry checks it against the digest.</summary>
    public void PutBlob(string location, Digest digest, long size, Func<Stream> open, Action<long> progress, CancellationToken cancel)
    {
        string separator = location.Contains('?') ? "&" : "?";
        string path = $"{location}{separator}digest={Uri.EscapeDataString(digest.ToString())}";
        using var response = Send(HttpMethod.Put, path, null, () =>
        {
            long sent = 0;
            var body = new StreamContent(new ObservingStream(open(), bytes => progress(sent += bytes.Length)));
            body.Headers.ContentLength = size;
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return body;
        }, cancel);
    }

    /// <summary>Puts the manifest under <paramref name="tag"/>; returns its digest, as the registry confirmed it.</summary>
    public Digest PutManifest(string tag, string mediaType, byte[] manifest, CancellationToken cancel)
    {
        var digest = Digest.Of(manifest);
        using var response = Send(HttpMethod.Put, RepositoryPath($"manifests/{tag}"), null, () =>
        {
            var body = new ByteArrayContent(manifest);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return body;
        }, cancel);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var announced) &&
            Digest.TryParse(announced.FirstOrDefault(), out var stored) && stored != digest)
        {
            throw ConmanErrors.AnnouncedDigestMismatch(tag, stored.ToString(), digest.ToString());
        }
        return digest;
    }

    /// <summary>GET /v2/ with the credentials: what docker login and podman login check before storing them.</summary>
    public void CheckCredentials(CancellationToken cancel)
    {
        using var response = Send(HttpMethod.Get, "/v2/", null, null, cancel);
    }

    /// <summary>The Location of a 202 Accepted, relative or absolute, as a path on this registry.</summary>
    private string LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw ConmanErrors.RegistryError(_reference, (int)response.StatusCode, "without a Location", "blobs/uploads/", "");
        var absolute = location.IsAbsoluteUri ? location : new Uri(new Uri($"{_scheme}://{Host}"), location);
        return absolute.PathAndQuery;
    }
}
