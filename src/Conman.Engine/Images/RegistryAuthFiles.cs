using System.Net;
using System.Text;
using System.Text.Json;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Credentials that `podman login`, `skopeo login` or `docker login` stored, for a pull given no
/// -Credential: the files containers-auth.json(5) names, read in its order, the first entry that
/// matches winning. Within a file the most specific key wins: "quay.io/team/app", then
/// "quay.io/team", then "quay.io". A file that names a credential helper for the registry
/// (credHelpers, or credsStore for all) has the helper asked first (<see cref="CredentialHelper"/>).
/// </summary>
internal static class RegistryAuthFiles
{
    /// <summary>The files looked at, in order; those that do not exist are skipped.</summary>
    public static IEnumerable<string> Candidates()
    {
        // podman's own override, as podman honours it.
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } overridden) yield return overridden;
        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        yield return !string.IsNullOrEmpty(runtime)
            ? Path.Combine(runtime, "containers", "auth.json")
            : $"/run/containers/{LibC.geteuid()}/auth.json"; // where podman keeps root's
        string home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : "/root";
        string config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } c ? c : Path.Combine(home, ".config");
        yield return Path.Combine(config, "containers", "auth.json");
        yield return Path.Combine(home, ".docker", "config.json");
    }

    /// <summary>The stored credential for <paramref name="reference"/>, or null.</summary>
    /// <exception cref="ConmanException">A file that exists is not valid JSON or holds a bad entry.</exception>
    public static NetworkCredential? Find(ImageReference reference)
    {
        foreach (string path in Candidates())
        {
            string json;
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            if (HelperFor(json, reference.Registry, path)?.Get(reference.Registry) is { } stored) return stored;
            if (Lookup(json, reference, path) is { } credential) return credential;
        }
        return null;
    }

    /// <summary>The credential one file's text holds for <paramref name="reference"/>, or null.</summary>
    public static NetworkCredential? Lookup(string json, ImageReference reference, string path)
    {
        Dictionary<string, string> entries;
        try
        {
            entries = ReadEntries(json);
        }
        catch (JsonException e)
        {
            throw ConmanErrors.InvalidAuthFile(path, e.Message);
        }
        // "quay.io/team/app", "quay.io/team", "quay.io": the most specific first.
        string[] parts = reference.Repository.Split('/');
        for (int length = parts.Length; length >= 0; length--)
        {
            string key = length == 0 ? reference.Registry : $"{reference.Registry}/{string.Join('/', parts[..length])}";
            if (entries.TryGetValue(key, out string? auth)) return Decode(auth, key, path);
        }
        return null;
    }

    /// <summary>The helper a file names for <paramref name="registry"/>: its credHelpers entry, else its credsStore; null for none.</summary>
    public static CredentialHelper? HelperFor(string json, string registry, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? name = root.TryGetProperty("credHelpers", out var helpers) ? OciDocuments.OptionalString(helpers, registry) : null;
            name ??= OciDocuments.OptionalString(root, "credsStore");
            return string.IsNullOrEmpty(name) ? null : CredentialHelper.Named(name, path);
        }
        catch (JsonException e)
        {
            throw ConmanErrors.InvalidAuthFile(path, e.Message);
        }
    }

    /// <summary>Entry keys, normalised as containers/image does for Docker's older files, to their "auth".</summary>
    private static Dictionary<string, string> ReadEntries(string json)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object) return entries;
        foreach (var entry in auths.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("auth", out var auth) || auth.ValueKind != JsonValueKind.String) continue;
            entries.TryAdd(NormaliseKey(entry.Name), auth.GetString()!);
        }
        return entries;
    }

    /// <summary>"https://index.docker.io/v1/" is Docker Hub; a key with a scheme keeps only its host.</summary>
    private static string NormaliseKey(string key)
    {
        if (key.StartsWith("http://", StringComparison.Ordinal) || key.StartsWith("https://", StringComparison.Ordinal))
        {
            key = key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..];
            int slash = key.IndexOf('/');
            if (slash >= 0) key = key[..slash];
        }
        return key is "index.docker.io" or "registry-1.docker.io" ? ImageReference.DockerHub : key;
    }

    private static NetworkCredential Decode(string auth, string key, string path)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        }
        catch (FormatException)
        {
            text = "";
        }
        int colon = text.IndexOf(':');
        if (colon <= 0)
        {
            throw ConmanErrors.InvalidAuthEntry(key, path);
        }
        return new NetworkCredential(text[..colon], text[(colon + 1)..]);
    }
}
