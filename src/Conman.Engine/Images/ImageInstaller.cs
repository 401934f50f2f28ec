using Conman.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine.Images;

/// <summary>
/// Turns a manifest whose blobs are in the content store (all but those of layers unpacked
/// already) into an image: unpacks each layer
/// into its snapshot (once, whoever asks), checks every layer against its diff id, and only then
/// writes the image record. Whatever fails or is cancelled before that, nothing is listed.
/// </summary>
internal sealed class ImageInstaller(ContentStore content, SnapshotStore snapshots, ImageStore images)
{
    public ImageRecord Install(Digest manifestDigest, ManifestDocument manifest, IReadOnlyList<string> names,
        Action<ImageProgress> progress, CancellationToken cancel, IReadOnlyList<string>? digestReferences = null, string? cacheKey = null,
        Platform? platform = null)
    {
        var configDescriptor = manifest.Config!;
        var config = OciDocuments.ParseConfig(content.ReadAll(configDescriptor.Digest, OciDocuments.MaxDocumentSize), $"image config {configDescriptor.Digest}");
        // The machine's platform, or the one a pull asked for (to push or export elsewhere).
        var wanted = platform ?? Platform.Host;
        if (config.Os.Length > 0 && config.Os != wanted.Os || config.Architecture.Length > 0 && config.Architecture != wanted.Architecture)
        {
            throw ConmanErrors.ImagePlatformMismatch(config.Os, config.Architecture, configDescriptor.Digest.ToString(), $"{wanted.Os}/{wanted.Architecture}");
        }
        if (manifest.Layers.Count == 0)
        {
            throw ConmanErrors.ImageHasNoLayers(manifestDigest.ToString());
        }
        if (config.DiffIds.Count != manifest.Layers.Count)
        {
            throw ConmanErrors.LayerCountMismatch(manifestDigest.ToString(), manifest.Layers.Count, config.DiffIds.Count);
        }

        var chains = SnapshotStore.ChainIds(config.DiffIds);
        var record = new ImageRecord
        {
            Id = configDescriptor.Digest.ToString(),
            ManifestDigest = manifestDigest.ToString(),
            Config = config.Defaults,
            Os = config.Os,
            Architecture = config.Architecture,
            StoredAt = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        if (config.Created is { } created) record.CreatedAt = Timestamp.FromDateTimeOffset(created);
        record.Names.AddRange(names.Distinct());
        record.DigestReferences.AddRange((digestReferences ?? []).Distinct());
        if (cacheKey is not null)
        {
            record.BuildCache = true;
            record.BuildCacheKey = cacheKey;
        }
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var layer = manifest.Layers[i];
            string item = Short(layer.Digest);
            var lower = chains.Take(i).Reverse().ToList();
            long unpacked = snapshots.Ensure(chains[i], config.DiffIds[i], content.PathOf(layer.Digest), lower,
                (done, total) => progress(new ImageProgress("Unpacking", item, done, total, Completed: false)), cancel);
            progress(new ImageProgress("Unpacking", item, layer.Size, layer.Size, Completed: true));
            record.Layers.Add(new ImageLayer
            {
                Digest = layer.Digest.ToString(),
                MediaType = layer.MediaType,
                Size = layer.Size,
                DiffId = config.DiffIds[i].ToString(),
                ChainId = chains[i].ToString(),
                UnpackedSize = unpacked,
            });
        }
        cancel.ThrowIfCancellationRequested();
        return images.Commit(record);
    }

    /// <summary>
    /// The layers whose blobs are needed: those not unpacked yet. Layer blobs are deleted once
    /// unpacked (the snapshot, checked against the diff id, is the copy kept), so a layer another
    /// image already unpacked is neither fetched nor copied again. Needs the config in the store.
    /// </summary>
    public static IReadOnlyList<Descriptor> LayersToFetch(ContentStore content, SnapshotStore snapshots, ManifestDocument manifest)
    {
        var chains = StoredChainIds(content, manifest);
        if (chains.Count != manifest.Layers.Count) return manifest.Layers;
        return manifest.Layers.Where((_, i) => !snapshots.Has(chains[i])).ToList();
    }

    /// <summary>The chain ids of the manifest's layers, from its config's diff ids: the config must be in the store.</summary>
    public static IReadOnlyList<Digest> StoredChainIds(ContentStore content, ManifestDocument manifest)
    {
        var config = OciDocuments.ParseConfig(content.ReadAll(manifest.Config!.Digest, OciDocuments.MaxDocumentSize), $"image config {manifest.Config.Digest}");
        return SnapshotStore.ChainIds(config.DiffIds);
    }

    /// <summary>The first 12 hex digits, as Docker shows layers.</summary>
    public static string Short(Digest digest) => digest.Hex[..12];
}
