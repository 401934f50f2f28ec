using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// OCI image layouts for the engine-level image tests, written here with .NET's tar writer: a
/// busybox layer (from Debian's busybox-static) plus small file layers. The Pester suite has the
/// same in PowerShell (build/OciImage.psm1) for the cmdlet tests.
/// </summary>
public static class TestLayouts
{
    public static byte[] BusyboxLayer()
    {
        var files = new List<(string, byte[]?, string?)> { ("bin/busybox", File.ReadAllBytes("/bin/busybox"), null) };
        foreach (string applet in new[] { "sh", "cat", "echo", "true" }) files.Add(($"bin/{applet}", null, "busybox"));
        files.Add(("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"u8.ToArray(), null));
        return Layer(files);
    }

    /// <summary>A tar of (name, content) files, or (name, null, target) symbolic links.</summary>
    public static byte[] Layer(IEnumerable<(string Name, byte[]? Content, string? LinkTarget)> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content, target) in entries)
            {
                var entry = new PaxTarEntry(target is null ? TarEntryType.RegularFile : TarEntryType.SymbolicLink, name)
                {
                    Mode = (UnixFileMode)Convert.ToInt32(target is null && name.StartsWith("bin/") ? "755" : "644", 8),
                };
                if (target is not null) entry.LinkName = target;
                if (content is not null) entry.DataStream = new MemoryStream(content);
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Writes the layout, its layers gzipped (or compressed with zstd); <paramref name="diffIds"/>
    /// replaces the true diff ids (to make a lying config); <paramref name="damage"/> changes each
    /// compressed layer before its digest is taken (to make a blob that is whole but not valid).
    /// </summary>
    public static void Write(string folder, string name, IReadOnlyList<byte[]> layerTars, IReadOnlyList<string>? diffIds = null, bool zstd = false,
        Func<byte[], byte[]>? damage = null)
    {
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        damage ??= blob => blob;
        var layers = layerTars
            .Select(tar => zstd ? Descriptor(folder, damage(Zstd(tar)), MediaTypes.OciLayerZstd) : Descriptor(folder, damage(Gzip(tar)), MediaTypes.OciLayerGzip))
            .ToList();
        var config = new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Cmd = new[] { "sh" } },
            rootfs = new { type = "layers", diff_ids = diffIds ?? layerTars.Select(DigestOf).ToList() },
        };
        var manifest = new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = Descriptor(folder, JsonSerializer.SerializeToUtf8Bytes(config), "application/vnd.oci.image.config.v1+json"),
            layers,
        };
        var manifestDescriptor = Descriptor(folder, JsonSerializer.SerializeToUtf8Bytes(manifest), "application/vnd.oci.image.manifest.v1+json");
        var index = new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new { manifestDescriptor.mediaType, manifestDescriptor.digest, manifestDescriptor.size,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = name } },
            },
        };
        File.WriteAllBytes(Path.Combine(folder, "index.json"), JsonSerializer.SerializeToUtf8Bytes(index));
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static DescriptorJson Descriptor(string folder, byte[] content, string mediaType)
    {
        string digest = DigestOf(content);
        File.WriteAllBytes(Path.Combine(folder, "blobs", "sha256", digest[7..]), content);
        return new DescriptorJson(mediaType, digest, content.Length);
    }

    private sealed record DescriptorJson(string mediaType, string digest, long size);

    private static byte[] Gzip(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        return buffer.ToArray();
    }

    private static byte[] Zstd(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(buffer, level: 3, bufferSize: 0, leaveOpen: true)) zstd.Write(tar);
        return buffer.ToArray();
    }
}
