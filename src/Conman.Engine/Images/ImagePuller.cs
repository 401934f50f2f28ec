using System.Runtime.ExceptionServices;

namespace Conman.Engine.Images;

/// <summary>
/// Fetches an image's manifest, config and layers from a registry into the content store. A blob
/// already in the store, or a layer already unpacked, is not fetched again; every blob fetched is checked against its digest
/// and size before it is kept, under a lease on the manifest until the image is installed.
/// Unpacking is <see cref="ImageInstaller"/>'s.
/// </summary>
internal sealed class ImagePuller(ContentStore content, SnapshotStore snapshots, PullLeases leases, Action<ImageProgress> progress, CancellationToken cancel)
{
    private const int ConcurrentDownloads = 3;

    /// <param name="platform">What an index resolves to: this machine's (linux/amd64) unless given.</param>
    public FoundImage Pull(ImageReference reference, RegistryClient registry, Platform? platform = null)
    {
        var (body, mediaType, digest) = registry.GetManifest(reference.ManifestReference, cancel);
        var document = OciDocuments.ParseManifest(body, mediaType, $"manifest of {reference}");
        if (document.IsIndex)
        {
            content.Put(body, digest, "image index");
            var chosen = OciDocuments.SelectPlatform(document.Manifests, $"image index of {reference}", platform);
            (body, mediaType, digest) = registry.GetManifest(chosen.Digest.ToString(), cancel);
            document = OciDocuments.ParseManifest(body, mediaType, $"manifest {chosen.Digest}");
            if (document.IsIndex) throw ConmanErrors.NestedImageIndex(reference.ToString());
        }
        content.Put(body, digest, "manifest");
        EngineTrace.Verbose($"Manifest {digest}, {document.Layers.Count} layers");
        // From here, what this pull fetches outlives an interruption (ImageManager releases it).
        leases.Take(digest);
        Fetch(registry, document.Config!, "Pulling", "image config");
        var needed = ImageInstaller.LayersToFetch(content, snapshots, document);
        foreach (var layer in document.Layers.Where(l => !needed.Contains(l)))
        {
            progress(new ImageProgress("Pulling", ImageInstaller.Short(layer.Digest), layer.Size, layer.Size, Completed: true));
        }
        // Three at a time, as Docker's default: one slow blob does not hold the others back.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentDownloads, CancellationToken = cancel };
        try
        {
            Parallel.ForEach(needed.DistinctBy(l => l.Digest), parallel, layer => Fetch(registry, layer, "Pulling", $"layer {layer.Digest}"));
        }
        catch (AggregateException e)
        {
            // The first failure, as it was thrown: its error id is what the user sees.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        // As podman: a pull by digest records that digest reference, not the tag beside it
        // ("repo:tag@sha256:..." does not say the registry's tag points here); a pull by tag the tag.
        return reference.Digest is null
            ? new FoundImage(digest, document, [reference.FullName])
            : new FoundImage(digest, document, [], [reference.DigestName]);
    }

    private void Fetch(RegistryClient registry, Descriptor blob, string activity, string what)
    {
        string item = ImageInstaller.Short(blob.Digest);
        if (!content.Has(blob.Digest))
        {
            using var stream = registry.GetBlob(blob.Digest, cancel);
            content.Ingest(stream, blob.Digest, blob.Size, what,
                done => progress(new ImageProgress(activity, item, done, blob.Size, Completed: false)), cancel);
        }
        progress(new ImageProgress(activity, item, blob.Size, blob.Size, Completed: true));
    }
}
