using System.Net;
using Conman.Engine.Containers;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Images;

/// <summary>
/// The image side of Conman, with no PowerShell in it: import, pull, list, remove, and the
/// garbage collection of blobs and snapshots no image or container uses any more.
/// Imports and pulls hold the content lock shared while they add content; collection takes it
/// exclusively, and skips a round rather than wait, so it never deletes a blob a pull just fetched.
/// </summary>
public sealed class ImageManager
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly SnapshotStore _snapshots;
    private readonly ImageStore _images;
    private readonly ContainerStore _containers;
    private readonly PullLeases _leases;

    internal ImageManager(StoreLayout layout)
    {
        if (LibC.geteuid() != 0) throw ConmanErrors.RootRequiredForImages(layout.Root);
        layout.VerifyTrusted();
        _layout = layout;
        _content = new ContentStore(layout);
        _snapshots = new SnapshotStore(layout);
        _images = new ImageStore(layout);
        _containers = new ContainerStore(layout);
        _leases = new PullLeases(layout, _content);
    }

    public static ImageManager FromEnvironment() => new(StoreLayout.FromEnvironment());

    /// <summary>The images, build steps' left out (they are the build cache).</summary>
    public IReadOnlyList<ImageSnapshot> List() => _images.LoadAll().Where(i => !i.BuildCache).OrderBy(i => i.StoredAt).Select(ImageSnapshot.From).ToList();

    /// <summary>Every image's names, fully qualified, without reading more than the records (for completion).</summary>
    public IEnumerable<string> Names() => _images.LoadAll().SelectMany(i => i.Names);

    public ImageSnapshot Get(string reference) => ImageSnapshot.From(_images.Resolve(reference));

    /// <summary>The stored record, for the engine's own use (a container's definition): one that can be read.</summary>
    internal ImageRecord GetRecord(string reference) =>
        _images.Resolve(reference) is var image && ImageStore.Unreadable(image) ? throw ConmanErrors.ImageRecordUnreadable(reference) : image;

    /// <summary>
    /// Whether a container made from <paramref name="reference"/> pulls its image first: with
    /// <see cref="PullPolicy.Missing"/>, only when it is not in the store, as docker run does.
    /// </summary>
    /// <exception cref="ConmanException">The reference is not valid, or an id prefix is ambiguous.</exception>
    public bool NeedsPull(string reference, PullPolicy policy) => policy switch
    {
        PullPolicy.Always => true,
        PullPolicy.Never => false,
        _ => _images.Find(reference) is null,
    };

    internal bool Has(string imageId) => Digest.TryParse(imageId, out var id) && File.Exists(_layout.ImageRecordPath(id.Hex));

    /// <summary>The unpacked layers of the snapshots <paramref name="chainIds"/> (an image's, bottom first), the topmost first.</summary>
    internal IReadOnlyList<string> TreesOf(IEnumerable<string> chainIds) =>
        chainIds.Reverse().Select(c => _snapshots.TreeOf(Digest.Parse(c, "snapshot id").Hex)).ToList();

    /// <summary>Whether every snapshot is still there: a container may be made on them.</summary>
    internal bool HasSnapshots(IEnumerable<string> chainIds) => chainIds.All(c => _snapshots.Has(Digest.Parse(c, "snapshot id")));

    internal FileLock LockRecords() => _images.Lock();

    /// <param name="name">Names the image, instead of the name the layout or archive gives it.</param>
    public IReadOnlyList<ImageSnapshot> Import(string path, string? name, Action<ImageProgress> progress, CancellationToken cancel)
    {
        if (path.Contains('\0')) throw ConmanErrors.InvalidHostPath("The image's path", path);
        string? fullName = name is null ? null : NameFor(name);
        _layout.EnsureImageStoreCreated();
        IReadOnlyList<ImageRecord> imported;
        using (FileLock.Acquire(_layout.ContentLock, create: true, shared: true, cancel: cancel))
        {
            try
            {
                imported = ImportLocked(path, fullName, progress, cancel);
            }
            catch (IOException e) when (e.HResult == Enospc)
            {
                throw ConmanErrors.ImageStoreFull(_layout.Root, path, e);
            }
        }
        CollectGarbage();
        return imported.Select(ImageSnapshot.From).ToList();
    }

    private IReadOnlyList<ImageRecord> ImportLocked(string path, string? fullName, Action<ImageProgress> progress, CancellationToken cancel)
    {
        var found = new ImageImporter(_content, _snapshots, progress, cancel).Read(path);
        if (fullName is not null && found.Count > 1) throw ConmanErrors.ImageNameAmbiguous(path, found.Count);
        var named = found.Select(image =>
        {
            var names = fullName is not null ? [fullName] : image.Names.Select(NameFor).ToList();
            if (names.Count == 0) throw ConmanErrors.ImageNameRequired(image.ManifestDigest.ToString(), path);
            return (image, names);
        }).ToList();
        var installer = new ImageInstaller(_content, _snapshots, _images);
        return named.Select(n => installer.Install(n.image.ManifestDigest, n.image.Manifest, n.names, progress, cancel)).ToList();
    }

    /// <summary>No space left on the device: what an import or pull then left is collected as garbage.</summary>
    private const int Enospc = 28;

    /// <param name="platform">"os/architecture[/variant]" to resolve an image index to (docker pull --platform); this machine's, linux/amd64, by default.</param>
    public ImageSnapshot Pull(string reference, NetworkCredential? credential, bool allowInsecure, Action<ImageProgress> progress, CancellationToken cancel,
        string? platform = null)
    {
        var parsed = ImageReference.Parse(reference);
        var wanted = platform is null ? null : Platform.Parse(platform);
        // As podman: what `podman login` (or docker login) stored, when no credential is given.
        credential ??= RegistryAuthFiles.Find(parsed);
        _layout.EnsureImageStoreCreated();
        ImageRecord image;
        using (FileLock.Acquire(_layout.ContentLock, create: true, shared: true, cancel: cancel))
        using (var registry = new RegistryClient(parsed, credential, allowInsecure))
        {
            try
            {
                var found = new ImagePuller(_content, _snapshots, _leases, progress, cancel).Pull(parsed, registry, wanted);
                image = new ImageInstaller(_content, _snapshots, _images).Install(found.ManifestDigest, found.Manifest, found.Names, progress, cancel,
                    found.DigestReferences, platform: wanted);
                _leases.Release(found.ManifestDigest);
            }
            catch (IOException e) when (e.HResult == Enospc)
            {
                throw ConmanErrors.ImageStoreFull(_layout.Root, reference, e);
            }
        }
        CollectGarbage();
        return ImageSnapshot.From(image);
    }

    /// <summary>Runs <paramref name="work"/> holding the content lock shared, so no collection deletes what it adds before its image is recorded.</summary>
    internal T UnderContentLock<T>(Func<T> work, CancellationToken cancel)
    {
        _layout.EnsureImageStoreCreated();
        using var _ = FileLock.Acquire(_layout.ContentLock, create: true, shared: true, cancel: cancel);
        return work();
    }

    /// <summary>A temp file in the store's ingest folder, for a layer tar being made.</summary>
    internal string NewIngestPath() => Path.Combine(_layout.IngestFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Moves an uncompressed layer tar into the content store (under the content lock); its digest is its diff id.</summary>
    internal Descriptor IngestLayer(string tarPath, CancellationToken cancel)
    {
        try
        {
            using var tar = File.OpenRead(tarPath);
            long size = tar.Length;
            var digest = _content.Ingest(tar, null, null, "layer", cancel: cancel);
            return new Descriptor(MediaTypes.OciLayer, digest, size, null, new Dictionary<string, string>());
        }
        finally
        {
            File.Delete(tarPath);
        }
    }

    /// <summary>The stored config of an image, as JSON to edit.</summary>
    internal System.Text.Json.Nodes.JsonObject ConfigOf(ImageRecord image) =>
        System.Text.Json.Nodes.JsonNode.Parse(_content.ReadAll(Digest.Parse(image.Id, "image id"), OciDocuments.MaxDocumentSize)) as System.Text.Json.Nodes.JsonObject
        ?? throw ConmanErrors.InvalidImageDocument($"image config {image.Id}", "it is not a JSON object");

    /// <summary>
    /// Records an image made here (commit, build): the parent's layers (unpacked already), the
    /// new layers (in the content store), and its config; the new layers are unpacked as any
    /// imported layer is. Under the content lock (<see cref="UnderContentLock"/>).
    /// </summary>
    internal ImageRecord StoreImage(IReadOnlyList<Descriptor> layers, System.Text.Json.Nodes.JsonObject config, IReadOnlyList<string> names,
        string? buildCacheKey, Action<ImageProgress> progress, CancellationToken cancel)
    {
        byte[] configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = _content.Put(configBytes, null, "image config");
        var configDescriptor = new Descriptor(MediaTypes.OciConfig, configDigest, configBytes.Length, null, new Dictionary<string, string>());
        byte[] manifest = OciManifestWriter.Manifest(configDescriptor, layers);
        var manifestDigest = _content.Put(manifest, null, "manifest");
        var document = new ManifestDocument(false, [], configDescriptor, layers);
        var installer = new ImageInstaller(_content, _snapshots, _images);
        if (buildCacheKey is null) return installer.Install(manifestDigest, document, names.Select(NameFor).ToList(), progress, cancel);
        return installer.Install(manifestDigest, document, [], progress, cancel, cacheKey: buildCacheKey);
    }

    /// <summary>The build step's image that <paramref name="key"/> names, with its snapshots all there; null when none.</summary>
    internal ImageRecord? FindBuildCache(string key) =>
        _images.LoadAll().FirstOrDefault(i => i.BuildCacheKey == key && HasSnapshots(i.Layers.Select(l => l.ChainId)));

    /// <summary>The layers of an image as a manifest names them: what a new image made on it starts with.</summary>
    internal static IReadOnlyList<Descriptor> LayersOf(ImageRecord image) =>
        image.Layers.Select(l => new Descriptor(l.MediaType, Digest.Parse(l.Digest), l.Size, null, new Dictionary<string, string>())).ToList();

    /// <summary>
    /// Pushes an image to a registry (docker push) as <paramref name="destination"/>, by default
    /// its name <paramref name="reference"/>. Credentials: <paramref name="credential"/>, else a
    /// login's (<see cref="Login"/>, podman login, docker login).
    /// </summary>
    public ImagePushResult Push(string reference, string? destination, NetworkCredential? credential, bool allowInsecure,
        Action<ImageProgress> progress, CancellationToken cancel)
    {
        _layout.EnsureImageStoreCreated();
        // Shared: no collection deletes a snapshot while it is being sent.
        using var contentLock = FileLock.Acquire(_layout.ContentLock, create: true, shared: true, cancel: cancel);
        var image = _images.Resolve(reference);
        // Without a destination the image goes where its name says: an id or digest says nowhere.
        if (destination is null && !(ImageReference.TryParse(reference, out var named, out _) && named.Digest is null && image.Names.Contains(named.FullName)))
        {
            throw ConmanErrors.PushDestinationRequired(reference);
        }
        var target = ImageReference.Parse(NameFor(destination ?? reference));
        credential ??= RegistryAuthFiles.Find(target);
        // The image's other repositories on that registry may hold its layers: they are mounted from there.
        var sources = image.Names.Concat(image.DigestReferences).Select(ImageReference.Parse)
            .Where(n => n.Registry == target.Registry && n.Repository != target.Repository)
            .Select(n => n.Repository).Distinct().ToList();
        using var registry = new RegistryClient(target, credential, allowInsecure, push: true, alsoPulledFrom: sources);
        return new ImagePusher(_layout, _content, _snapshots, progress, cancel).Push(image, target, registry, sources);
    }

    /// <summary>
    /// Checks the credential with the registry and stores it where podman and skopeo read it
    /// (podman login): <paramref name="authFile"/>, else podman's own file, or the credential
    /// helper that file names for the registry.
    /// </summary>
    /// <returns>Where it was stored: the file, or the helper.</returns>
    public string Login(string registry, NetworkCredential credential, bool allowInsecure, string? authFile, CancellationToken cancel)
    {
        if (authFile?.Contains('\0') == true) throw ConmanErrors.InvalidHostPath("The auth file", authFile);
        var host = RegistryHost(registry);
        using (var client = new RegistryClient(host, credential, allowInsecure)) client.CheckCredentials(cancel);
        return RegistryLogins.Store(host.Registry, credential, authFile);
    }

    /// <summary>Removes the stored credential of <paramref name="registry"/>, or of every registry (podman logout).</summary>
    public void Logout(string? registry, bool all, string? authFile)
    {
        if (authFile?.Contains('\0') == true) throw ConmanErrors.InvalidHostPath("The auth file", authFile);
        string? host = registry is null ? null : RegistryHost(registry).Registry;
        if (!RegistryLogins.Remove(host, authFile, all) && !all) throw ConmanErrors.NotLoggedIn(host!, authFile ?? RegistryLogins.DefaultFile());
    }

    /// <summary>A registry as a login names it: "host[:port]", read as the first part of an image reference.</summary>
    private static ImageReference RegistryHost(string registry)
    {
        if (registry == ImageReference.DockerHub) return new ImageReference(registry, "", null, null);
        // "host/x" keeps "x" as its repository only when "host" reads as a registry.
        if (!ImageReference.TryParse(registry + "/x", out var parsed, out _) || parsed.Repository != "x") throw ConmanErrors.InvalidRegistry(registry);
        return new ImageReference(parsed.Registry, "", null, null);
    }

    /// <summary>
    /// Gives the image <paramref name="reference"/> names the name <paramref name="newName"/>
    /// too (docker tag), taking it from any image that had it.
    /// </summary>
    public ImageSnapshot Tag(string reference, string newName)
    {
        string fullName = NameFor(newName);
        using var _ = _images.Lock();
        var image = _images.Resolve(reference).Clone();
        if (!image.Names.Contains(fullName)) image.Names.Add(fullName);
        // A build step's image, named, is listed like any other.
        image.BuildCache = false;
        return ImageSnapshot.From(_images.CommitLocked(image));
    }

    /// <summary>
    /// Writes images to <paramref name="path"/> (docker save): an archive file, replaced whole
    /// if it exists unless <paramref name="noClobber"/>, or an OCI layout folder, which must be new or empty. An image given by a
    /// name goes out under that name; given by id or digest, under all its names.
    /// </summary>
    public IReadOnlyList<ImageSnapshot> Export(IReadOnlyList<string> references, string path, ImageArchiveFormat format, bool noClobber,
        Action<ImageProgress> progress, CancellationToken cancel)
    {
        // The path first, as docker save checks its -o before asking for the images.
        ExportTarget.CheckDestination(path, folder: format == ImageArchiveFormat.OciLayout, noClobber);
        _layout.EnsureImageStoreCreated();
        // Shared: no collection deletes a snapshot while it is being written out.
        using var contentLock = FileLock.Acquire(_layout.ContentLock, create: true, shared: true, cancel: cancel);
        var chosen = new List<ExportedImage>();
        foreach (string reference in references)
        {
            var image = _images.Resolve(reference);
            var names = ImageReference.TryParse(reference, out var parsed, out _) && parsed.Digest is null && image.Names.Contains(parsed.FullName)
                ? [parsed.FullName]
                : image.Names.ToList();
            int same = chosen.FindIndex(c => c.Image.Id == image.Id);
            if (same < 0) chosen.Add(new ExportedImage(image, names));
            else chosen[same] = chosen[same] with { Names = chosen[same].Names.Union(names).ToList() };
        }
        new ImageExporter(_layout, _content, _snapshots, progress, cancel).Export(chosen, path, format);
        return chosen.Select(c => ImageSnapshot.From(c.Image)).ToList();
    }

    /// <summary>
    /// Removes an image: by one of its names or digest references, only that one while others
    /// name the image (as docker rmi untags; a digest reference, "repo:tag@sha256:..." too, never
    /// takes the image's tags with it, podman's #11557); by id, the whole image. An image a
    /// container was made from is kept unless <paramref name="force"/>; the container keeps its
    /// snapshots either way.
    /// </summary>
    /// <returns>The image as it was, and whether it is gone (false when only a name was removed).</returns>
    public (ImageSnapshot Image, bool Deleted) Remove(string reference, bool force) => Remove(reference, force, collect: true);

    /// <summary>
    /// The images no container was made from (docker image prune): with <paramref name="danglingOnly"/>,
    /// only those with no name and the build cache (build steps' images); else every one.
    /// </summary>
    public IReadOnlyList<UnusedImage> Unused(bool danglingOnly)
    {
        var used = _containers.LoadAll().Select(c => c.Definition?.ImageId).Where(i => !string.IsNullOrEmpty(i)).ToHashSet(StringComparer.Ordinal);
        return _images.LoadAll()
            .Where(i => !used.Contains(i.Id))
            .Where(i => !danglingOnly || i.BuildCache || i.Names.Count + i.DigestReferences.Count == 0)
            .OrderBy(i => i.StoredAt)
            .Select(i => new UnusedImage(ImageSnapshot.From(i), i.BuildCache)).ToList();
    }

    /// <summary>Removes the images <see cref="Unused"/> gave that are still unused (a container made meanwhile keeps its image); collects once at the end.</summary>
    /// <returns>Those removed.</returns>
    public IReadOnlyList<UnusedImage> RemoveUnused(IEnumerable<UnusedImage> images)
    {
        var removed = new List<UnusedImage>();
        foreach (var image in images)
        {
            try
            {
                if (Remove(image.Image.Id, force: false, collect: false).Deleted) removed.Add(image);
            }
            catch (ConmanException e) when (e.ErrorId is ErrorIds.ImageInUse or ErrorIds.ImageNotFound)
            {
                // Used since it was listed, or removed by another session: not this prune's.
            }
        }
        CollectGarbage();
        return removed;
    }

    private (ImageSnapshot Image, bool Deleted) Remove(string reference, bool force, bool collect)
    {
        (ImageSnapshot, bool) result;
        using (_images.Lock())
        {
            var image = _images.Resolve(reference);
            if (ReferenceToUntag(image, reference) is { } untagged)
            {
                var kept = image.Clone();
                kept.Names.Remove(untagged);
                kept.DigestReferences.Remove(untagged);
                if (kept.Names.Count + kept.DigestReferences.Count > 0)
                {
                    AtomicFile.Write(_layout.ImageRecordPath(Digest.Parse(image.Id).Hex), kept);
                    return (ImageSnapshot.From(image), false);
                }
            }
            var users = _containers.LoadAll().Where(c => c.Definition?.ImageId == image.Id).Select(c => c.Name).ToList();
            if (users.Count > 0 && !force) throw ConmanErrors.ImageInUse(DisplayName(image), users, reference);
            _images.Delete(image);
            result = (ImageSnapshot.From(image), true);
        }
        if (collect) CollectGarbage();
        return result;
    }

    /// <summary>
    /// Deletes the blobs no image refers to, the snapshots no image or container stacks, and
    /// the leftovers of interrupted imports; what an unfinished pull holds a lease on stays (see
    /// <see cref="PullLeases"/>). Skipped while an import or pull is running.
    /// Layer blobs count as unreferenced once unpacked: the snapshot, checked against the
    /// layer's diff id, is the copy kept, so an image takes about one copy of its content on disk.
    /// </summary>
    internal void CollectGarbage()
    {
        if (!Directory.Exists(_layout.Root)) return;
        using var content = FileLock.TryAcquire(_layout.ContentLock);
        if (content is null) return;
        using var _ = _images.Lock();
        var images = _images.LoadAll().ToList();
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            blobs.Add(image.Id);
            blobs.Add(image.ManifestDigest);
            foreach (var layer in image.Layers) snapshots.Add(Digest.Parse(layer.ChainId).Hex);
        }
        foreach (var container in _containers.LoadAll())
        {
            foreach (string chain in container.Definition?.Snapshots ?? []) snapshots.Add(Digest.Parse(chain).Hex);
        }
        var leased = _leases.Held();
        blobs.UnionWith(leased.Blobs);
        snapshots.UnionWith(leased.Snapshots);
        foreach (var blob in _content.All().Where(b => !blobs.Contains(b.ToString())).ToList()) _content.Delete(blob);
        _content.DeleteAbandonedIngests();
        _snapshots.DeleteAllBut(snapshots);
    }

    /// <summary>
    /// The name or digest reference of <paramref name="image"/> that <paramref name="reference"/>
    /// spells; null for an id. A digest reference the image was found by but never recorded (it
    /// matched the manifest digest of an image named in that repository) is refused rather than
    /// read as the whole image.
    /// </summary>
    private static string? ReferenceToUntag(ImageRecord image, string reference)
    {
        if (!ImageReference.TryParse(reference, out var parsed, out _)) return null;
        if (parsed.Digest is null) return image.Names.Contains(parsed.FullName) ? parsed.FullName : null;
        if (image.DigestReferences.Contains(parsed.DigestName)) return parsed.DigestName;
        throw ConmanErrors.DigestReferenceNotRecorded(reference, DisplayName(image));
    }

    /// <summary>How the image is shown in messages: its first name, or its short id.</summary>
    internal static string DisplayName(ImageRecord image) =>
        image.Names.FirstOrDefault() ?? image.DigestReferences.FirstOrDefault() ?? Digest.Parse(image.Id).Hex[..12];

    private static string NameFor(string name)
    {
        var parsed = ImageReference.Parse(name);
        if (parsed.Digest is not null) throw ConmanErrors.InvalidImageName(name);
        return parsed.FullName;
    }
}
