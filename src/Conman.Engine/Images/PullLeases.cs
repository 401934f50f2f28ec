using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Keeps what an unfinished pull fetched out of garbage collection for a day, as containerd's
/// leases do, so that a pull interrupted and run again resumes from the blobs and unpacked layers
/// that were complete, whatever other image work ran in between. A lease is an empty file named
/// by the manifest's digest, taken once the manifest is stored and given back once the image is
/// installed; what it holds is read from that manifest and its config, in the store.
/// </summary>
internal sealed class PullLeases(StoreLayout layout, ContentStore content)
{
    /// <summary>How long an abandoned pull's content is kept: containerd's default lease expiry.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public void Take(Digest manifest)
    {
        Directory.CreateDirectory(layout.LeasesFolder, FileModes.OwnerOnlyFolder);
        string path = layout.LeasePath(manifest.Hex);
        // Taken again by a pull run again: its day starts over.
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, FileModes.OwnerOnly);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
    }

    public void Release(Digest manifest) => File.Delete(layout.LeasePath(manifest.Hex));

    /// <summary>
    /// The blobs (digests) and snapshots (chain id hex) that leases hold; a lease past its
    /// lifetime is deleted instead. Called by garbage collection, under its locks.
    /// </summary>
    public (HashSet<string> Blobs, HashSet<string> Snapshots) Held()
    {
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(layout.LeasesFolder)) return (blobs, snapshots);
        foreach (string path in Directory.GetFiles(layout.LeasesFolder))
        {
            if (!Digest.TryParse("sha256:" + Path.GetFileName(path), out var manifest) || DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > Lifetime)
            {
                File.Delete(path);
                continue;
            }
            blobs.Add(manifest.ToString());
            try
            {
                var document = OciDocuments.ParseManifest(content.ReadAll(manifest, OciDocuments.MaxDocumentSize), null, $"manifest {manifest}");
                if (document.Config is not { } config) continue;
                blobs.Add(config.Digest.ToString());
                foreach (var layer in document.Layers) blobs.Add(layer.Digest.ToString());
                foreach (var chain in ImageInstaller.StoredChainIds(content, document)) snapshots.Add(chain.Hex);
            }
            catch (ConmanException)
            {
                // The pull stopped before its config arrived (or the documents are unreadable):
                // only what is named so far is held.
            }
        }
        return (blobs, snapshots);
    }
}
