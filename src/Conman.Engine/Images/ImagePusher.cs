using System.Runtime.ExceptionServices;
using Conman.Protocol;

namespace Conman.Engine.Images;

/// <summary>
/// Pushes an image to a registry (docker push): each layer, written again from its snapshot
/// (<see cref="LayerTarRebuilder"/>) as a gzip blob, is sent only when the repository lacks it,
/// and mounted from another repository of the same registry when one of the image's names says the
/// registry has it there; then the config as it is stored (so the image id stays) and an OCI
/// manifest, under the destination's tag. Three layers at a time, as Docker's pushes go.
/// </summary>
internal sealed class ImagePusher(StoreLayout layout, ContentStore content, SnapshotStore snapshots,
    Action<ImageProgress> progress, CancellationToken cancel)
{
    private const int ConcurrentUploads = 3;
    private readonly CompressedLayerCache _cache = new(layout);

    private enum Outcome { Sent, Mounted, Present }

    /// <param name="mountSources">Repositories of the same registry that may have the layers (the image's other names there).</param>
    public ImagePushResult Push(ImageRecord image, ImageReference destination, RegistryClient registry, IReadOnlyList<string> mountSources)
    {
        var layers = new (Descriptor Descriptor, Outcome Outcome)[image.Layers.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentUploads, CancellationToken = cancel };
        try
        {
            Parallel.For(0, image.Layers.Count, parallel, i => layers[i] = PushLayer(image.Layers[i], registry, mountSources));
        }
        catch (AggregateException e)
        {
            // The first failure, as it was thrown: its error id is what the user sees.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var configDigest = Digest.Parse(image.Id, "image id");
        byte[] config = content.ReadAll(configDigest, OciDocuments.MaxDocumentSize);
        if (!registry.HasBlob(configDigest, cancel))
        {
            string location = registry.StartUpload(configDigest, null, cancel)!;
            registry.PutBlob(location, configDigest, config.Length, () => new MemoryStream(config, writable: false), _ => { }, cancel);
        }
        var configDescriptor = new Descriptor(MediaTypes.OciConfig, configDigest, config.Length, null, NoAnnotations);
        byte[] manifest = OciManifestWriter.Manifest(configDescriptor, layers.Select(l => l.Descriptor).ToList());
        cancel.ThrowIfCancellationRequested();
        var digest = registry.PutManifest(destination.Tag ?? "latest", MediaTypes.OciManifest, manifest, cancel);
        return new ImagePushResult(destination.FullName, digest.ToString(), image.Id,
            layers.Count(l => l.Outcome == Outcome.Sent), layers.Count(l => l.Outcome == Outcome.Mounted), layers.Count(l => l.Outcome == Outcome.Present));
    }

    private (Descriptor, Outcome) PushLayer(ImageLayer layer, RegistryClient registry, IReadOnlyList<string> mountSources)
    {
        var chain = Digest.Parse(layer.ChainId, "snapshot id");
        var diffId = Digest.Parse(layer.DiffId, "layer diff id");
        string item = ImageInstaller.Short(diffId);
        void Done(long size) => progress(new ImageProgress("Pushing", item, size, size, Completed: true));

        // Pushed (or exported) before: the registry is asked for that blob before anything is compressed.
        if (_cache.Find(chain) is { } known)
        {
            if (registry.HasBlob(known.Digest, cancel))
            {
                Done(known.Size);
                return (Gzip(known.Digest, known.Size), Outcome.Present);
            }
            if (TryMount(registry, known.Digest, mountSources))
            {
                Done(known.Size);
                return (Gzip(known.Digest, known.Size), Outcome.Mounted);
            }
        }

        string path = Path.Combine(layout.IngestFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var (digest, size) = LayerTarRebuilder.WriteBlob(snapshots, chain, diffId, path, compress: true,
                done => progress(new ImageProgress("Compressing", item, done, layer.UnpackedSize, Completed: false)), cancel);
            progress(new ImageProgress("Compressing", item, layer.UnpackedSize, layer.UnpackedSize, Completed: true));
            _cache.Remember(chain, digest, size);
            if (registry.HasBlob(digest, cancel))
            {
                Done(size);
                return (Gzip(digest, size), Outcome.Present);
            }
            if (TryMount(registry, digest, mountSources))
            {
                Done(size);
                return (Gzip(digest, size), Outcome.Mounted);
            }
            string location = registry.StartUpload(digest, null, cancel)!;
            registry.PutBlob(location, digest, size, () => File.OpenRead(path),
                sent => progress(new ImageProgress("Pushing", item, sent, size, Completed: false)), cancel);
            Done(size);
            return (Gzip(digest, size), Outcome.Sent);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Asks the registry to mount the blob from each source in turn. A refused mount opens an
    /// upload session instead, which is left to expire (the registry purges them), as Docker leaves it.
    /// </summary>
    private bool TryMount(RegistryClient registry, Digest digest, IReadOnlyList<string> mountSources)
    {
        foreach (string source in mountSources)
        {
            if (registry.StartUpload(digest, source, cancel) is null) return true;
        }
        return false;
    }

    private static Descriptor Gzip(Digest digest, long size) => new(MediaTypes.OciLayerGzip, digest, size, null, NoAnnotations);

    private static readonly IReadOnlyDictionary<string, string> NoAnnotations = new Dictionary<string, string>();
}
