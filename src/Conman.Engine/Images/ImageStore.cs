using Conman.Engine.Containers;
using Conman.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine.Images;

/// <summary>
/// The image records: one file per image, named by its id, holding its names. Records change
/// only under the images lock, so a name moves from one image to another atomically.
/// </summary>
internal sealed class ImageStore(StoreLayout layout)
{
    public IEnumerable<ImageRecord> LoadAll()
    {
        if (!Directory.Exists(layout.ImagesFolder)) yield break;
        foreach (string file in Directory.EnumerateFiles(layout.ImagesFolder, "*.pb"))
        {
            string hex = Path.GetFileNameWithoutExtension(file);
            // Not a name this store gives a record: nothing of an image's.
            if (!Digest.TryParse("sha256:" + hex, out _)) continue;
            if (Load(hex) is { } record) yield return record;
        }
    }

    /// <summary>
    /// The image's record; null when there is none. A record that cannot be read whole
    /// (truncated, empty, random, or with fields that are not what this store writes) is still
    /// its image's: it comes back with its id and no config (see <see cref="Unreadable"/>), so
    /// that it is listed with the reason, never breaks the listing of the others, and can be removed.
    /// </summary>
    public ImageRecord? Load(string idHex)
    {
        string path = layout.ImageRecordPath(idHex);
        ImageRecord? record;
        try
        {
            record = AtomicFile.Read(path, ImageRecord.Parser);
        }
        catch (InvalidProtocolBufferException)
        {
            record = new ImageRecord();
        }
        if (record is null) return null;
        if (IsWhole(record, idHex)) return record;
        DateTime storedAt;
        try
        {
            storedAt = File.GetLastWriteTimeUtc(path);
        }
        catch (IOException)
        {
            storedAt = DateTime.UnixEpoch;
        }
        return new ImageRecord { Id = "sha256:" + idHex, StoredAt = Timestamp.FromDateTime(storedAt) };
    }

    /// <summary>Whether the record is one <see cref="Load"/> could not read: it has no config to make a container from.</summary>
    public static bool Unreadable(ImageRecord image) => image.Config is null;

    public const string UnreadableReason = "its record cannot be read";

    /// <summary>Everything the store relies on when it reads a record, as it wrote it.</summary>
    private static bool IsWhole(ImageRecord record, string idHex) =>
        record.Id == "sha256:" + idHex
        && Digest.TryParse(record.ManifestDigest, out _)
        && record.Config is not null
        && record.StoredAt is not null
        && record.Layers.Count > 0
        && record.Layers.All(l => Digest.TryParse(l.Digest, out _) && Digest.TryParse(l.DiffId, out _) && Digest.TryParse(l.ChainId, out _))
        && record.Names.All(n => ImageReference.TryParse(n, out var name, out _) && name.Digest is null && name.FullName == n);

    internal FileLock Lock() => FileLock.Acquire(layout.ImagesLock, create: true);

    /// <summary>
    /// Adds an image, or gives more names to one already there. A name the image takes is taken
    /// from any other image that had it, as a docker tag moves.
    /// </summary>
    public ImageRecord Commit(ImageRecord image)
    {
        using var _ = Lock();
        return CommitLocked(image);
    }

    /// <summary>As <see cref="Commit"/>, for a caller that holds the images lock.</summary>
    public ImageRecord CommitLocked(ImageRecord image)
    {
        var id = Digest.Parse(image.Id, "image id");
        // An unreadable record of the same image is replaced: importing it again repairs it.
        var existing = Load(id.Hex);
        if (existing is not null && !Unreadable(existing))
        {
            foreach (string name in existing.Names.Except(image.Names)) image.Names.Add(name);
            foreach (string reference in existing.DigestReferences.Except(image.DigestReferences)) image.DigestReferences.Add(reference);
            image.StoredAt = existing.StoredAt;
            // A build step's image that is also a named image stays listed, and stays in the cache.
            if (image.BuildCacheKey.Length == 0) image.BuildCacheKey = existing.BuildCacheKey;
            image.BuildCache = image.BuildCache && existing.BuildCache;
        }
        foreach (var other in LoadAll().Where(o => o.Id != image.Id && !Unreadable(o)))
        {
            int before = other.Names.Count + other.DigestReferences.Count;
            foreach (string name in image.Names) other.Names.Remove(name);
            foreach (string reference in image.DigestReferences) other.DigestReferences.Remove(reference);
            if (other.Names.Count + other.DigestReferences.Count != before) AtomicFile.Write(layout.ImageRecordPath(Digest.Parse(other.Id).Hex), other);
        }
        AtomicFile.Write(layout.ImageRecordPath(id.Hex), image);
        return image;
    }

    public void Delete(ImageRecord image) => File.Delete(layout.ImageRecordPath(Digest.Parse(image.Id).Hex));

    /// <summary>
    /// Finds an image by name ("alpine", "registry:5000/app:1", "app@sha256:..."), by id
    /// ("sha256:..."), or by a unique prefix of its id's hex, as Docker does.
    /// </summary>
    public ImageRecord Resolve(string reference) => Find(reference) ?? throw ConmanErrors.ImageNotFound(reference);

    /// <summary>As <see cref="Resolve"/>; null when no image is found.</summary>
    /// <exception cref="ConmanException">The reference is not valid, or an id prefix is ambiguous.</exception>
    public ImageRecord? Find(string reference)
    {
        var all = LoadAll().ToList();
        if (Digest.TryParse(reference, out var id) && all.FirstOrDefault(i => i.Id == id.ToString()) is { } byId) return byId;
        if (ImageReference.TryParse(reference, out var parsed, out _))
        {
            if (parsed.Digest is { } digest)
            {
                var byDigest = all.FirstOrDefault(i => i.DigestReferences.Contains(parsed.DigestName)) ??
                    all.FirstOrDefault(i => i.ManifestDigest == digest.ToString() &&
                    i.Names.Any(n => ImageReference.Parse(n).FullRepository == parsed.FullRepository));
                if (byDigest is not null) return byDigest;
            }
            else if (all.FirstOrDefault(i => i.Names.Contains(parsed.FullName)) is { } byName)
            {
                return byName;
            }
        }
        if (reference.Length >= 4 && reference.All(Uri.IsHexDigit))
        {
            if (IdResolver.ByUniquePrefix(reference, all, i => Digest.Parse(i.Id).Hex, ConmanErrors.AmbiguousImageId) is { } byPrefix) return byPrefix;
        }
        if (!Digest.TryParse(reference, out _) && !reference.All(Uri.IsHexDigit)) ImageReference.Parse(reference);
        return null;
    }
}
