using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Conman.Native;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Images;

/// <summary>
/// An image found in a layout, an archive or a registry: its manifest, in the content store, the
/// names it came with, and the digest references a pull by digest gives it.
/// </summary>
internal sealed record FoundImage(Digest ManifestDigest, ManifestDocument Manifest, IReadOnlyList<string> Names,
    IReadOnlyList<string>? DigestReferences = null);

/// <summary>
/// Reads images out of an OCI image layout (a folder), an OCI archive (a tar of one, gzipped or
/// not) or a `docker save` archive, copying every blob into the content store, where it is
/// checked against its digest. It does not unpack: <see cref="ImageInstaller"/> does.
/// </summary>
internal sealed class ImageImporter(ContentStore content, SnapshotStore snapshots, Action<ImageProgress> progress, CancellationToken cancel)
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private const string ContainerdNameAnnotation = "io.containerd.image.name";

    public IReadOnlyList<FoundImage> Read(string path)
    {
        if (Directory.Exists(path)) return ReadLayoutFolder(path);
        if (File.Exists(path)) return ReadArchive(path);
        throw ConmanErrors.ImagePathNotFound(path);
    }

    private IReadOnlyList<FoundImage> ReadLayoutFolder(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "oci-layout")) || !File.Exists(Path.Combine(folder, "index.json")))
        {
            throw NotAnImage(folder, "the folder has no oci-layout and index.json");
        }
        Digest Fetch(Descriptor descriptor, string what)
        {
            if (content.Has(descriptor.Digest)) return descriptor.Digest;
            string blob = Path.Combine(folder, "blobs", "sha256", descriptor.Digest.Hex);
            if (!File.Exists(blob)) throw NotAnImage(folder, $"the layout lacks the blob {descriptor.Digest} ({what})");
            using var stream = OpenRegularFile(blob, folder);
            string item = ImageInstaller.Short(descriptor.Digest);
            var digest = content.Ingest(stream, descriptor.Digest, descriptor.Size, what,
                done => progress(new ImageProgress("Importing", item, done, descriptor.Size, Completed: false)), cancel);
            progress(new ImageProgress("Importing", item, descriptor.Size, descriptor.Size, Completed: true));
            return digest;
        }
        byte[] index = ReadSmallFile(Path.Combine(folder, "index.json"), folder);
        return ReadIndex(index, Fetch, folder);
    }

    private IReadOnlyList<FoundImage> ReadArchive(string archive)
    {
        // Small documents are kept in memory by their path in the archive; everything else goes
        // to the content store at once, by its digest, so the archive is read only once.
        var documents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var blobsByPath = new Dictionary<string, Digest>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var file = OpenRegularFile(archive, archive))
        {
            Stream tar = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new TarReader(tar);
            try
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    cancel.ThrowIfCancellationRequested();
                    string name = NormalizeArchivePath(entry.Name);
                    if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                    {
                        // docker save links a layer it has already written instead of writing it twice.
                        string target = entry.EntryType == TarEntryType.HardLink
                            ? NormalizeArchivePath(entry.LinkName)
                            : NormalizeArchivePath(Path.Combine(Path.GetDirectoryName(name) ?? "", entry.LinkName));
                        links[name] = target;
                        continue;
                    }
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                    if (IsDocument(name) && entry.Length <= OciDocuments.MaxDocumentSize)
                    {
                        var bytes = new byte[entry.Length];
                        entry.DataStream.ReadExactly(bytes);
                        documents[name] = bytes;
                        continue;
                    }
                    Digest? expected = null;
                    if (name.StartsWith("blobs/sha256/", StringComparison.Ordinal))
                    {
                        expected = Digest.Parse("sha256:" + name["blobs/sha256/".Length..], $"blob name '{name}'");
                    }
                    string item = expected is { } e ? ImageInstaller.Short(e) : Path.GetFileName(Path.GetDirectoryName(name)) ?? name;
                    long length = entry.Length;
                    blobsByPath[name] = content.Ingest(entry.DataStream, expected, length, $"blob '{name}' of the archive",
                        done => progress(new ImageProgress("Importing", item, done, length, Completed: false)), cancel);
                    progress(new ImageProgress("Importing", item, length, length, Completed: true));
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw NotAnImage(archive, $"it is not a valid tar archive ({e.Message})");
            }
        }

        Digest FromArchive(string path, string what)
        {
            string resolved = links.GetValueOrDefault(path, path);
            if (blobsByPath.TryGetValue(resolved, out var digest)) return digest;
            if (documents.TryGetValue(resolved, out var bytes)) return content.Put(bytes, null, what);
            throw NotAnImage(archive, $"the archive lacks '{path}' ({what})");
        }

        if (documents.TryGetValue("index.json", out var index))
        {
            return ReadIndex(index, (descriptor, what) =>
            {
                string path = $"blobs/sha256/{descriptor.Digest.Hex}";
                if (documents.TryGetValue(path, out var bytes)) return content.Put(bytes, descriptor.Digest, what);
                if (content.Has(descriptor.Digest)) return descriptor.Digest;
                throw NotAnImage(archive, $"the archive lacks the blob {descriptor.Digest} ({what})");
            }, archive);
        }
        if (documents.TryGetValue("manifest.json", out var dockerManifest)) return ReadDockerSave(dockerManifest, FromArchive, archive);
        throw NotAnImage(archive, "the archive has neither an index.json (OCI) nor a manifest.json (docker save)");
    }

    /// <summary>The images an OCI index names; an entry that is itself an index resolves to linux/amd64.</summary>
    private IReadOnlyList<FoundImage> ReadIndex(byte[] indexJson, Func<Descriptor, string, Digest> fetch, string source)
    {
        var index = OciDocuments.ParseManifest(indexJson, MediaTypes.OciIndex, $"index.json of {source}");
        if (!index.IsIndex || index.Manifests.Count == 0) throw NotAnImage(source, "its index.json lists no image");
        var found = new List<FoundImage>();
        foreach (var entry in index.Manifests)
        {
            var descriptor = entry;
            var document = ReadDocument(descriptor, fetch);
            if (document.IsIndex)
            {
                descriptor = OciDocuments.SelectPlatform(document.Manifests, $"image index {descriptor.Digest}");
                document = ReadDocument(descriptor, fetch);
            }
            if (document.IsIndex) throw NotAnImage(source, $"the index {descriptor.Digest} nests indexes too deeply");
            fetch(document.Config!, "image config");
            foreach (var layer in ImageInstaller.LayersToFetch(content, snapshots, document)) fetch(layer, $"layer {layer.Digest}");
            string? name = entry.Annotations.GetValueOrDefault(ContainerdNameAnnotation) ?? entry.Annotations.GetValueOrDefault(RefNameAnnotation);
            found.Add(new FoundImage(descriptor.Digest, document, name is null ? [] : [name]));
        }
        return found;
    }

    private ManifestDocument ReadDocument(Descriptor descriptor, Func<Descriptor, string, Digest> fetch)
    {
        if (descriptor.Size > OciDocuments.MaxDocumentSize) throw NotAnImage(descriptor.Digest.ToString(), "its manifest is too large");
        var digest = fetch(descriptor, $"manifest {descriptor.Digest}");
        return OciDocuments.ParseManifest(content.ReadAll(digest, OciDocuments.MaxDocumentSize), descriptor.MediaType, $"manifest {digest}");
    }

    /// <summary>
    /// A docker save archive has no OCI manifest: one is written for each image, from the config
    /// and layer files its manifest.json lists, so that the image has a manifest digest like any other.
    /// </summary>
    private IReadOnlyList<FoundImage> ReadDockerSave(byte[] manifestJson, Func<string, string, Digest> fromArchive, string archive)
    {
        var found = new List<FoundImage>();
        try
        {
            using var document = JsonDocument.Parse(manifestJson);
            foreach (var image in document.RootElement.EnumerateArray())
            {
                string configPath = OciDocuments.OptionalString(image, "Config") ?? throw NotAnImage(archive, "an entry of manifest.json has no Config");
                var config = fromArchive(NormalizeArchivePath(configPath), "image config");
                var layers = new List<Descriptor>();
                foreach (var layerPath in image.GetProperty("Layers").EnumerateArray())
                {
                    var digest = fromArchive(NormalizeArchivePath(layerPath.GetString() ?? ""), "layer");
                    layers.Add(new Descriptor(MediaTypes.OciLayer, digest, new FileInfo(content.PathOf(digest)).Length, null, new Dictionary<string, string>()));
                }
                var configDescriptor = new Descriptor(MediaTypes.OciConfig, config, new FileInfo(content.PathOf(config)).Length, null, new Dictionary<string, string>());
                byte[] manifest = WriteManifest(configDescriptor, layers);
                var manifestDigest = content.Put(manifest, null, "manifest");
                var names = image.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array
                    ? tags.EnumerateArray().Select(t => t.GetString() ?? "").Where(t => t.Length > 0).ToList()
                    : [];
                found.Add(new FoundImage(manifestDigest, new ManifestDocument(false, [], configDescriptor, layers), names));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw NotAnImage(archive, $"its manifest.json cannot be read ({e.Message})");
        }
        return found;
    }

    private static byte[] WriteManifest(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciManifest);
            json.WritePropertyName("config");
            WriteDescriptor(json, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers) WriteDescriptor(json, layer);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteNumber("size", descriptor.Size);
        json.WriteEndObject();
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static bool IsDocument(string name) =>
        name.EndsWith(".json", StringComparison.Ordinal) || name is "oci-layout" or "repositories";

    /// <summary>
    /// Archive paths are only keys here, never written to disk: "." parts are dropped and ".."
    /// parts resolved (a docker save link names its target as "../&lt;id&gt;/layer.tar").
    /// </summary>
    private static string NormalizeArchivePath(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static byte[] ReadSmallFile(string path, string source)
    {
        using var file = OpenRegularFile(path, source);
        // One byte more than allowed: a file that grows while it is read is still refused, not read on.
        var bytes = new byte[Math.Min(file.Length, OciDocuments.MaxDocumentSize) + 1];
        int length = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (length > OciDocuments.MaxDocumentSize) throw NotAnImage(path, "the file is too large");
        return bytes[..length];
    }

    /// <summary>
    /// Opens the archive, or a file of the layout, as long as it is a regular file (a symbolic
    /// link to one will do). A device (a link to /dev/zero) would be read without end, and a FIFO
    /// would block the open itself, where Ctrl+C cannot reach it: it is opened without blocking,
    /// and refused.
    /// </summary>
    private static unsafe FileStream OpenRegularFile(string path, string source)
    {
        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw NotAnImage(source, $"'{path}' cannot be opened (errno {LibC.Errno})");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        LibC.FileStatus status;
        if (LibC.fstat(fd, &status) != 0 || status.Type != LibC.S_IFREG)
        {
            handle.Dispose();
            throw ConmanErrors.NotARegularFile(source, path);
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 1 << 16);
    }

    private static ConmanException NotAnImage(string source, string problem) => ConmanErrors.InvalidImageArchive(source, problem);
}
