using System.Globalization;

namespace Conman.Engine.Images;

/// <summary>
/// The digest and size of the gzip blob a layer was last written out as, kept beside its
/// snapshot ("gzip-blob": "sha256:... size"). Compression is deterministic, so a push asks the
/// registry for that digest first and, when the registry has it, neither compresses nor sends the
/// layer again. A stale entry costs only that question: the blob written is named by what it hashes to.
/// </summary>
internal sealed class CompressedLayerCache(StoreLayout layout)
{
    private const string FileName = "gzip-blob";

    public (Digest Digest, long Size)? Find(Digest chainId)
    {
        string path = PathOf(chainId);
        if (!File.Exists(path)) return null;
        string[] parts = File.ReadAllText(path).Split(' ');
        return parts.Length == 2 && Digest.TryParse(parts[0], out var digest) &&
            long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            ? (digest, size) : null;
    }

    public void Remember(Digest chainId, Digest blob, long size)
    {
        string path = PathOf(chainId);
        if (!Directory.Exists(Path.GetDirectoryName(path))) return;
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, $"{blob} {size.ToString(CultureInfo.InvariantCulture)}");
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(Digest chainId) => Path.Combine(layout.SnapshotFolder(chainId.Hex), FileName);
}
