using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Unpacked layers. Each layer is unpacked once, into a folder named by its chain id (the layer
/// together with every layer below it), and shared by every image and container built on it:
/// containers stack these folders as overlayfs lower layers. A snapshot is unpacked in a temp
/// folder and renamed into place only when complete and its content matches the diff id the
/// image config gives, so a snapshot that exists is always whole.
/// </summary>
internal sealed class SnapshotStore(StoreLayout layout)
{
    private const string TempPrefix = ".unpacking-";
    private const string SizeFile = "size";
    private const string TarSplitFile = "tar-split.gz";

    /// <summary>OCI chain ids: the first layer's is its diff id; each next one hashes "parent-chain diff-id".</summary>
    public static IReadOnlyList<Digest> ChainIds(IReadOnlyList<Digest> diffIds)
    {
        var chain = new List<Digest>(diffIds.Count);
        foreach (var diffId in diffIds)
        {
            chain.Add(chain.Count == 0 ? diffId : Digest.Of(Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}")));
        }
        return chain;
    }

    public bool Has(Digest chainId) => Directory.Exists(layout.SnapshotTree(chainId.Hex));

    public string TreeOf(string chainHex) => layout.SnapshotTree(chainHex);

    /// <summary>What writes the snapshot's layer tar again (see <see cref="TarSplitRecorder"/>); absent for a layer that cannot be.</summary>
    public string TarSplitOf(Digest chainId) => Path.Combine(layout.SnapshotFolder(chainId.Hex), TarSplitFile);

    /// <summary>Bytes of file content in the snapshot, as counted when it was unpacked.</summary>
    public long SizeOf(Digest chainId) =>
        long.TryParse(File.ReadAllText(Path.Combine(layout.SnapshotFolder(chainId.Hex), SizeFile)), out long size) ? size : 0;

    /// <summary>
    /// Unpacks the layer blob at <paramref name="blobPath"/> as the snapshot <paramref name="chainId"/>,
    /// unless it is there already.
    /// </summary>
    /// <param name="lowerChains">The snapshots below it, the nearest first.</param>
    public long Ensure(Digest chainId, Digest diffId, string blobPath, IReadOnlyList<Digest> lowerChains,
        Action<long, long> progress, CancellationToken cancel)
    {
        if (Has(chainId)) return SizeOf(chainId);
        layout.EnsureImageStoreCreated();
        string temp = Path.Combine(layout.SnapshotsFolder, TempPrefix + Guid.NewGuid().ToString("N"));
        string tree = Path.Combine(temp, "fs");
        Directory.CreateDirectory(temp, FileModes.OwnerOnlyFolder);
        try
        {
            // The layer's own "./" entry, when it has one, sets the mode; 0755 otherwise, whatever the umask.
            StoreFolders.Create(tree, StoreFolders.ParentMode);
            long size;
            using (var blob = new FileStream(blobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                long total = blob.Length;
                using var counted = new ObservingStream(blob, _ => progress(blob.Position, total), leaveOpen: true);
                using var uncompressed = Decompress(blob, counted, out string compression);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using var recorder = new TarSplitRecorder(Path.Combine(temp, TarSplitFile));
                using var hashed = new ObservingStream(uncompressed, bytes =>
                {
                    hash.AppendData(bytes);
                    recorder.Observe(bytes);
                }, leaveOpen: true);
                var lowerTrees = lowerChains.Select(c => layout.SnapshotTree(c.Hex)).ToList();
                try
                {
                    size = LayerUnpacker.Unpack(hashed, tree, lowerTrees, diffId.ToString(), cancel, recorder);
                    hashed.Drain();
                }
                catch (Exception e) when (e is ZstdSharp.ZstdException or InvalidDataException or EndOfStreamException)
                {
                    // The tar reader names what it cannot parse; what the decompressor throws (a
                    // damaged zstd frame, data cut short after the tar's end) is named here.
                    throw ConmanErrors.LayerNotDecompressible(diffId.ToString(), compression, e);
                }
                recorder.Finish();
                var actual = Digest.FromHash(hash.GetHashAndReset());
                if (actual != diffId)
                {
                    throw ConmanErrors.LayerDiffIdMismatch(diffId.ToString(), actual.ToString());
                }
            }
            File.WriteAllText(Path.Combine(temp, SizeFile), size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                Directory.Move(temp, layout.SnapshotFolder(chainId.Hex));
            }
            catch (IOException) when (Has(chainId))
            {
                // Another session unpacked the same layer meanwhile: theirs is as good as ours.
                Directory.Delete(temp, recursive: true);
            }
            return size;
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Removes every snapshot not in <paramref name="keep"/>, and the leftovers of interrupted unpacks.</summary>
    public void DeleteAllBut(IReadOnlySet<string> keep)
    {
        if (!Directory.Exists(layout.SnapshotsFolder)) return;
        foreach (string folder in Directory.EnumerateDirectories(layout.SnapshotsFolder))
        {
            if (!keep.Contains(Path.GetFileName(folder))) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Gzip, zstd or plain tar, told by the blob's first bytes rather than its media type: docker
    /// save writes plain tars under gzip media types. A zstd stream's frames are all read (a
    /// layer's diff id covers them all), and a frame cut short is an error, not an early end.
    /// </summary>
    private static Stream Decompress(FileStream blob, Stream counted, out string compression)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = blob.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        blob.Position = 0;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            compression = "gzip";
            return new GZipStream(counted, CompressionMode.Decompress, leaveOpen: true);
        }
        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            compression = "zstd";
            return new ZstdSharp.DecompressionStream(counted, checkEndOfStream: true, leaveOpen: true);
        }
        compression = "tar";
        return new ObservingStream(counted, _ => { }, leaveOpen: true);
    }
}
