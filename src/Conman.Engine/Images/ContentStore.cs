using System.Security.Cryptography;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Blobs (layers, configs, manifests) named by their sha256. A blob is written to a temp file in
/// the ingest folder while its digest is computed, and renamed into place only when digest and
/// size match what was expected: a blob in the store is always complete and correct, so an
/// interrupted pull starts again from the blobs it had finished.
/// </summary>
internal sealed class ContentStore(StoreLayout layout)
{
    private const int CopyBufferSize = 1 << 20;

    public bool Has(Digest digest) => File.Exists(layout.BlobPath(digest.Hex));

    public string PathOf(Digest digest) => layout.BlobPath(digest.Hex);

    public Stream Open(Digest digest)
    {
        try
        {
            return new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw ConmanErrors.BlobNotFound(digest.ToString());
        }
    }

    public byte[] ReadAll(Digest digest, long maxSize)
    {
        using var stream = Open(digest);
        if (stream.Length > maxSize)
        {
            throw ConmanErrors.BlobTooLarge(digest.ToString(), stream.Length, maxSize);
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the store. With an expected digest and size, a blob
    /// that differs is refused (and nothing is kept); without, the blob is named by what it hashes to.
    /// </summary>
    /// <param name="progress">Called with the bytes copied so far.</param>
    public Digest Ingest(Stream source, Digest? expected, long? expectedSize, string what,
        Action<long>? progress = null, CancellationToken cancel = default)
    {
        layout.EnsureImageStoreCreated();
        string temp = Path.Combine(layout.IngestFolder, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Digest actual;
            long total = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var target = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileModes.OwnerOnly,
                BufferSize = 0,
            }))
            {
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    cancel.ThrowIfCancellationRequested();
                    total += read;
                    // A source that sends more than announced is refused before it fills the disk.
                    if (expectedSize is { } limit && total > limit) throw ConmanErrors.BlobLargerThanDescribed(what, expected?.ToString(), limit);
                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                    progress?.Invoke(total);
                }
                target.Flush(flushToDisk: true);
                actual = Digest.FromHash(hash.GetHashAndReset());
            }
            if (expectedSize is { } size && total != size) throw ConmanErrors.BlobSizeMismatch(what, expected?.ToString(), size, total);
            if (expected is { } wanted && actual != wanted)
            {
                throw ConmanErrors.BlobDigestMismatch(what, wanted.ToString(), actual.ToString());
            }
            string final = PathOf(actual);
            if (File.Exists(final)) File.Delete(temp);
            // Over one that a concurrent import of the same blob renamed into place meanwhile:
            // content-addressed, so the same bytes, and the rename is atomic either way.
            else File.Move(temp, final, overwrite: true);
            return actual;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Stores a blob held in memory (a manifest or config), checking it against its expected digest.</summary>
    public Digest Put(byte[] content, Digest? expected, string what)
    {
        if (expected is { } wanted && Has(wanted) && Digest.Of(content) == wanted) return wanted;
        using var stream = new MemoryStream(content, writable: false);
        return Ingest(stream, expected, content.Length, what);
    }

    public void Delete(Digest digest) => File.Delete(PathOf(digest));

    public IEnumerable<Digest> All()
    {
        if (!Directory.Exists(layout.BlobsFolder)) yield break;
        foreach (string file in Directory.EnumerateFiles(layout.BlobsFolder))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var digest)) yield return digest;
        }
    }

    /// <summary>Temp files of imports and pulls that died; only called while no ingest can run.</summary>
    public void DeleteAbandonedIngests()
    {
        if (!Directory.Exists(layout.IngestFolder)) return;
        foreach (string file in Directory.EnumerateFiles(layout.IngestFolder)) File.Delete(file);
    }
}
