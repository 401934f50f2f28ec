using Conman.Engine.Containers;
using Conman.Native;

namespace Conman.Engine.Networks;

/// <summary>
/// Which subnets the networks of every store on this host have taken: one file per subnet under
/// /run/conman/subnets, naming the network record that owns it. Two stores (a test's
/// CONMAN_ROOT and the default one, say) each make a "conman" network; their bridges and routes
/// are the host's, so their subnets must differ even before either bridge exists. A claim whose
/// record is gone (its store deleted without Remove-ContainerNetwork) is stale and is taken
/// over; after a reboot the folder is empty, and a network claims its subnet again when it is
/// next used.
/// </summary>
internal static class SubnetClaims
{
    private static string LockPath => Path.Combine(StoreLayout.SubnetClaimsFolder, "claims.lock");

    /// <summary>Held while a subnet is chosen and claimed.</summary>
    public static FileLock Lock()
    {
        StoreFolders.Create("/run/conman", FileModes.OwnerOnlyFolder);
        StoreFolders.Create(StoreLayout.SubnetClaimsFolder, FileModes.OwnerOnlyFolder);
        return FileLock.Acquire(LockPath, create: true);
    }

    /// <summary>The live claims, other than <paramref name="ownRecord"/>'s: subnet and the record that owns it. Under <see cref="Lock"/>.</summary>
    public static IReadOnlyList<(Subnet Subnet, string Owner)> Others(string ownRecord)
    {
        var claims = new List<(Subnet, string)>();
        foreach (string file in Directory.EnumerateFiles(StoreLayout.SubnetClaimsFolder, "*.claim"))
        {
            string owner = File.ReadAllText(file).Trim();
            if (owner == ownRecord) continue;
            if (!File.Exists(owner))
            {
                File.Delete(file); // its store is gone
                continue;
            }
            claims.Add((Subnet.Parse(Path.GetFileNameWithoutExtension(file).Replace('_', '/')), owner));
        }
        return claims;
    }

    /// <summary>Claims a subnet for a network record. Under <see cref="Lock"/>, after checking <see cref="Others"/>.</summary>
    public static void Claim(Subnet subnet, string ownerRecord) =>
        Protocol.AtomicFile.Write(ClaimPath(subnet), System.Text.Encoding.UTF8.GetBytes(ownerRecord));

    /// <summary>Gives a removed network's subnet back, if this record still holds it.</summary>
    public static void Release(Subnet subnet, string ownerRecord)
    {
        using var _ = Lock();
        string path = ClaimPath(subnet);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == ownerRecord) File.Delete(path);
    }

    private static string ClaimPath(Subnet subnet) => Path.Combine(StoreLayout.SubnetClaimsFolder, subnet.Canonical().Replace('/', '_') + ".claim");
}
