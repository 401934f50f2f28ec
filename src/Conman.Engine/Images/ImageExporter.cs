using Conman.Protocol;

namespace Conman.Engine.Images;

/// <summary>An image to export, with the names it is exported under.</summary>
internal sealed record ExportedImage(ImageRecord Image, IReadOnlyList<string> Names);

/// <summary>
/// Writes images out of the store (docker save, podman save): as an OCI image layout, a tar of
/// one, or a docker save archive. Configs go out as they are stored, so image ids stay; layers
/// are written again from their snapshots (<see cref="LayerTarRebuilder"/>), gzip-compressed for
/// OCI and plain for docker archives as docker save writes them. A layer that several images share is
/// written once.
/// </summary>
internal sealed class ImageExporter(StoreLayout layout, ContentStore content, SnapshotStore snapshots,
    Action<ImageProgress> progress, CancellationToken cancel)
{
    public void Export(IReadOnlyList<ExportedImage> images, string destination, ImageArchiveFormat format)
    {
        using var target = ExportTarget.Create(destination, folder: format == ImageArchiveFormat.OciLayout);
        if (format == ImageArchiveFormat.DockerArchive) WriteDockerArchive(images, target);
        else WriteOciLayout(images, target);
        cancel.ThrowIfCancellationRequested();
        target.Commit();
    }

    private void WriteOciLayout(IReadOnlyList<ExportedImage> images, ExportTarget target)
    {
        target.AddFile("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
        var blobs = new HashSet<Digest>();
        var layers = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
        var entries = new List<Descriptor>();
        foreach (var (image, names) in images)
        {
            var (configDigest, config) = Config(image);
            if (blobs.Add(configDigest)) target.AddFile(BlobName(configDigest), config);
            var layerDescriptors = image.Layers.Select(layer =>
            {
                if (layers.TryGetValue(layer.ChainId, out var written)) return written;
                var (path, digest, size) = WriteLayer(layer, compress: true);
                if (blobs.Add(digest)) target.AddFile(BlobName(digest), path);
                else File.Delete(path);
                return layers[layer.ChainId] = new Descriptor(MediaTypes.OciLayerGzip, digest, size, null, NoAnnotations);
            }).ToList();
            byte[] manifest = OciManifestWriter.Manifest(new Descriptor(MediaTypes.OciConfig, configDigest, config.Length, null, NoAnnotations), layerDescriptors);
            var manifestDigest = Digest.Of(manifest);
            if (blobs.Add(manifestDigest)) target.AddFile(BlobName(manifestDigest), manifest);
            // One entry per name, named as podman and containerd name them, so either reads it back.
            foreach (string? name in names.DefaultIfEmpty())
            {
                var annotations = name is null ? NoAnnotations : new Dictionary<string, string>
                {
                    [OciManifestWriter.ContainerdNameAnnotation] = name,
                    [OciManifestWriter.RefNameAnnotation] = name,
                };
                entries.Add(new Descriptor(MediaTypes.OciManifest, manifestDigest, manifest.Length, null, annotations));
            }
        }
        target.AddFile("index.json", OciManifestWriter.Index(entries));
    }

    private void WriteDockerArchive(IReadOnlyList<ExportedImage> images, ExportTarget target)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        byte[] manifest = OciManifestWriter.Json(json =>
        {
            json.WriteStartArray();
            foreach (var (image, names) in images)
            {
                var (configDigest, config) = Config(image);
                string configName = configDigest.Hex + ".json";
                if (written.Add(configName)) target.AddFile(configName, config);
                var layerNames = new List<string>();
                foreach (var layer in image.Layers)
                {
                    string layerName = $"{Digest.Parse(layer.DiffId).Hex}/layer.tar";
                    if (written.Add(layerName))
                    {
                        var (path, _, _) = WriteLayer(layer, compress: false);
                        target.AddFile(layerName, path);
                    }
                    layerNames.Add(layerName);
                }
                json.WriteStartObject();
                json.WriteString("Config", configName);
                json.WriteStartArray("RepoTags");
                // Fully qualified: podman load reads a short "busybox:1" as localhost/busybox:1.
                foreach (string name in names) json.WriteStringValue(name);
                json.WriteEndArray();
                json.WriteStartArray("Layers");
                foreach (string layerName in layerNames) json.WriteStringValue(layerName);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
        target.AddFile("manifest.json", manifest);
    }

    private (Digest Digest, byte[] Bytes) Config(ImageRecord image)
    {
        var digest = Digest.Parse(image.Id, "image id");
        return (digest, content.ReadAll(digest, OciDocuments.MaxDocumentSize));
    }

    /// <summary>The layer's blob, written to a temp file in the store's ingest folder.</summary>
    private (string Path, Digest Digest, long Size) WriteLayer(ImageLayer layer, bool compress)
    {
        cancel.ThrowIfCancellationRequested();
        var chain = Digest.Parse(layer.ChainId, "snapshot id");
        var diffId = Digest.Parse(layer.DiffId, "layer diff id");
        string item = ImageInstaller.Short(diffId);
        string path = Path.Combine(layout.IngestFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var (digest, size) = LayerTarRebuilder.WriteBlob(snapshots, chain, diffId, path, compress,
                done => progress(new ImageProgress("Exporting", item, done, layer.UnpackedSize, Completed: false)), cancel);
            progress(new ImageProgress("Exporting", item, layer.UnpackedSize, layer.UnpackedSize, Completed: true));
            return (path, digest, size);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static string BlobName(Digest digest) => $"blobs/sha256/{digest.Hex}";

    private static readonly IReadOnlyDictionary<string, string> NoAnnotations = new Dictionary<string, string>();
}
