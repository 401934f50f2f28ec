using Conman.Engine.Containers;
using Conman.Engine.Runtime;

namespace Conman.Engine.Networks;

/// <summary>
/// Which subnets the networks of every store on this host have taken: one claim per subnet under
/// /run/conman/subnets, named by the subnet and naming the network record that owns it
/// (<see cref="ClaimFolder"/>). Two stores (a test's CONMAN_ROOT and the default one, say) each
/// make a "conman" network; their bridges and routes are the host's, so their subnets must differ
/// even before either bridge exists. After a reboot the folder is empty, and a network claims its
/// subnet again when it is next used.
/// </summary>
internal static class SubnetClaims
{
    private static readonly ClaimFolder Claims = new(StoreLayout.SubnetClaimsFolder);

    /// <summary>Held while a subnet is chosen and claimed.</summary>
    public static FileLock Lock() => Claims.Lock();

    /// <summary>The live claims, other than <paramref name="ownRecord"/>'s: subnet and the record that owns it. Under <see cref="Lock"/>.</summary>
    public static IReadOnlyList<(Subnet Subnet, string Owner)> Others(string ownRecord) =>
        [.. Claims.Others(ownRecord, (string name, string _, string[] _, out Subnet subnet) => Subnet.TryParse(name.Replace('_', '/'), out subnet))
            .Select(c => (c.Claim, c.Owner))];

    /// <summary>Claims a subnet for a network record. Under <see cref="Lock"/>, after checking <see cref="Others"/>.</summary>
    public static void Claim(Subnet subnet, string ownerRecord) => Claims.Write(Name(subnet), ownerRecord, []);

    /// <summary>Gives a removed network's subnet back, if this record still holds it.</summary>
    public static void Release(Subnet subnet, string ownerRecord) => Claims.Release(Name(subnet), ownerRecord);

    private static string Name(Subnet subnet) => subnet.Canonical().Replace('/', '_');
}
