using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conman.Engine.Images;

/// <summary>Writes the OCI documents Conman makes: image manifests and image indexes.</summary>
internal static class OciManifestWriter
{
    public const string ContainerdNameAnnotation = "io.containerd.image.name";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static byte[] Manifest(Descriptor config, IReadOnlyList<Descriptor> layers) => Json(json =>
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
    });

    public static byte[] Index(IReadOnlyList<Descriptor> manifests) => Json(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 2);
        json.WriteString("mediaType", MediaTypes.OciIndex);
        json.WriteStartArray("manifests");
        foreach (var manifest in manifests) WriteDescriptor(json, manifest);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest.ToString());
        json.WriteNumber("size", descriptor.Size);
        if (descriptor.Annotations.Count > 0)
        {
            json.WriteStartObject("annotations");
            foreach (var (key, value) in descriptor.Annotations) json.WriteString(key, value);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Relaxed: "+" in media types as it is, not \u002B (these documents are never HTML).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) write(json);
        return buffer.ToArray();
    }
}
