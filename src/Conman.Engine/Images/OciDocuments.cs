using System.Text.Json;

namespace Conman.Engine.Images;

/// <summary>The media types of OCI and Docker (schema 2) images that Conman reads.</summary>
internal static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;
    public static bool IsManifest(string mediaType) => mediaType is OciManifest or DockerManifest;
}

internal sealed record Platform(string Os, string Architecture, string? Variant)
{
    /// <summary>What this machine runs, and what an image index resolves to unless told otherwise.</summary>
    public static readonly Platform Host = new("linux", "amd64", null);

    public override string ToString() => $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";

    /// <summary>"os/architecture[/variant]", as docker pull --platform takes it: "linux/arm64", "linux/arm/v7".</summary>
    public static Platform Parse(string text)
    {
        string[] parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw ConmanErrors.InvalidPlatform(text);
        }
        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>Whether an index entry's platform is this one: a variant asked for must match; none asked takes any.</summary>
    public bool Matches(Platform? offered) =>
        offered is not null && offered.Os == Os && offered.Architecture == Architecture && (Variant is null || offered.Variant == Variant);
}

/// <summary>A reference to a blob: what it is, its digest and its size (OCI descriptor).</summary>
internal sealed record Descriptor(string MediaType, Digest Digest, long Size, Platform? Platform,
    IReadOnlyDictionary<string, string> Annotations);

/// <summary>A manifest (one image) or an index (a list of manifests, one per platform).</summary>
internal sealed record ManifestDocument(bool IsIndex, IReadOnlyList<Descriptor> Manifests, Descriptor? Config, IReadOnlyList<Descriptor> Layers);

/// <summary>The parts of an image config Conman uses.</summary>
internal sealed record ImageConfigDocument(string Os, string Architecture, DateTimeOffset? Created,
    IReadOnlyList<Digest> DiffIds, Protocol.ImageConfig Defaults);

/// <summary>
/// Reads manifests, indexes and configs. Documents come from registries and archives, so they are
/// untrusted: a field of the wrong type or a malformed digest is a clear error, never a crash.
/// </summary>
internal static class OciDocuments
{
    /// <summary>Manifests and configs are small; this caps what is read into memory.</summary>
    public const long MaxDocumentSize = 4 << 20;

    public static ManifestDocument ParseManifest(byte[] json, string? announcedMediaType, string what)
    {
        return Guard(what, () =>
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 1)
            {
                throw Invalid(what, "it is a Docker schema 1 manifest, which is deprecated and not supported");
            }
            string mediaType = OptionalString(root, "mediaType") ?? announcedMediaType ?? "";
            bool isIndex = MediaTypes.IsIndex(mediaType) || (mediaType.Length == 0 && root.TryGetProperty("manifests", out _));
            if (isIndex)
            {
                var manifests = root.TryGetProperty("manifests", out var list) ? ReadDescriptors(list) : [];
                return new ManifestDocument(true, manifests, null, []);
            }
            if (!root.TryGetProperty("config", out var config)) throw Invalid(what, "it has no config");
            var layers = root.TryGetProperty("layers", out var layerList) ? ReadDescriptors(layerList) : [];
            return new ManifestDocument(false, [], ReadDescriptor(config), layers);
        });
    }

    public static ImageConfigDocument ParseConfig(byte[] json, string what)
    {
        return Guard(what, () =>
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            DateTimeOffset? created = null;
            if (OptionalString(root, "created") is { } text && DateTimeOffset.TryParse(text, out var parsed)) created = parsed;
            var diffIds = new List<Digest>();
            if (root.TryGetProperty("rootfs", out var rootfs) && rootfs.TryGetProperty("diff_ids", out var ids))
            {
                foreach (var id in ids.EnumerateArray()) diffIds.Add(Digest.Parse(id.GetString() ?? "", "layer diff id"));
            }
            var defaults = new Protocol.ImageConfig();
            if (root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object)
            {
                defaults.Entrypoint.AddRange(Strings(config, "Entrypoint"));
                defaults.Cmd.AddRange(Strings(config, "Cmd"));
                defaults.Env.AddRange(Strings(config, "Env"));
                defaults.WorkingDir = OptionalString(config, "WorkingDir") ?? "";
                defaults.User = OptionalString(config, "User") ?? "";
                defaults.StopSignal = OptionalString(config, "StopSignal") ?? "";
                if (config.TryGetProperty("ExposedPorts", out var exposed) && exposed.ValueKind == JsonValueKind.Object)
                {
                    defaults.ExposedPorts.AddRange(exposed.EnumerateObject().Select(p => p.Name));
                }
                // config.Volumes: {"/path": {}}, the paths that get an anonymous volume.
                if (config.TryGetProperty("Volumes", out var volumes) && volumes.ValueKind == JsonValueKind.Object)
                {
                    defaults.Volumes.AddRange(volumes.EnumerateObject().Select(p => p.Name));
                }
                if (config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
                {
                    foreach (var label in labels.EnumerateObject()) defaults.Labels[label.Name] = label.Value.GetString() ?? "";
                }
                if (config.TryGetProperty("Healthcheck", out var health) && health.ValueKind == JsonValueKind.Object) defaults.Healthcheck = ReadHealthcheck(health);
            }
            return new ImageConfigDocument(OptionalString(root, "os") ?? "", OptionalString(root, "architecture") ?? "", created, diffIds, defaults);
        });
    }

    /// <summary>Docker's config.Healthcheck (Test, Interval, Timeout, StartPeriod in nanoseconds, Retries).</summary>
    private static Protocol.ImageHealthcheck ReadHealthcheck(JsonElement health)
    {
        long Nanoseconds(string name) => health.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
        var check = new Protocol.ImageHealthcheck
        {
            IntervalNanoseconds = Nanoseconds("Interval"),
            TimeoutNanoseconds = Nanoseconds("Timeout"),
            StartPeriodNanoseconds = Nanoseconds("StartPeriod"),
            Retries = health.TryGetProperty("Retries", out var retries) && retries.ValueKind == JsonValueKind.Number ? retries.GetInt32() : 0,
        };
        check.Test.AddRange(Strings(health, "Test"));
        return check;
    }

    public static IReadOnlyList<Descriptor> ReadDescriptors(JsonElement array) => array.EnumerateArray().Select(ReadDescriptor).ToList();

    public static Descriptor ReadDescriptor(JsonElement element)
    {
        string mediaType = OptionalString(element, "mediaType") ?? "";
        var digest = Digest.Parse(OptionalString(element, "digest") ?? "", "descriptor digest");
        long size = element.TryGetProperty("size", out var sizeElement) ? sizeElement.GetInt64() : -1;
        if (size < 0) throw new JsonException($"the descriptor of {digest} has no valid size");
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(OptionalString(p, "os") ?? "", OptionalString(p, "architecture") ?? "", OptionalString(p, "variant"));
        }
        var annotations = new Dictionary<string, string>();
        if (element.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            foreach (var annotation in a.EnumerateObject()) annotations[annotation.Name] = annotation.Value.GetString() ?? "";
        }
        return new Descriptor(mediaType, digest, size, platform, annotations);
    }

    /// <summary>From an index, the manifest for <paramref name="wanted"/> (this machine's, linux/amd64, by default), as Docker chooses it.</summary>
    public static Descriptor SelectPlatform(IReadOnlyList<Descriptor> manifests, string what, Platform? wanted = null)
    {
        wanted ??= Platform.Host;
        var match = manifests.FirstOrDefault(m => wanted.Matches(m.Platform) && MediaTypes.IsManifest(m.MediaType))
            ?? manifests.FirstOrDefault(m => wanted.Matches(m.Platform));
        if (match is not null) return match;
        if (manifests.Count == 1 && manifests[0].Platform is null) return manifests[0];
        string offered = string.Join(", ", manifests.Select(m => m.Platform?.ToString() ?? "unknown"));
        throw ConmanErrors.NoMatchingPlatform(what, offered.Length == 0 ? "none" : offered, wanted.ToString());
    }

    public static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? "")
            : [];

    private static T Guard<T>(string what, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Invalid(what, e.Message);
        }
    }

    private static ConmanException Invalid(string what, string problem) => ConmanErrors.InvalidImageDocument(what, problem);
}
