using Conman.Engine;
using Conman.Engine.Runtime;
using Conman.Engine.UserNamespaces;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Tests;

/// <summary>
/// The host-wide claims (subnets, id ranges): a folder nobody but root can plant claims in, and a
/// claim whose owner is alive is never thrown away, even when it does not read.
/// </summary>
public sealed class ClaimFolderTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly string _parent = Directory.CreateTempSubdirectory("conman-xunit-claims").FullName;
    private string Folder => Path.Combine(_parent, "claims");

    [Fact]
    public void A_claims_folder_another_user_owns_or_may_write_to_is_refused()
    {
        var claims = new ClaimFolder(Folder);
        claims.Lock().Dispose();
        Assert.Equal(0x1C0u, Mode(Folder));

        Assert.Equal(0, LibC.chmod(Folder, 0x1FF));
        Assert.Equal(ErrorIds.StoreNotTrusted, Assert.Throws<ConmanException>(() => claims.Lock()).ErrorId);
        Assert.Equal(0, LibC.chmod(Folder, 0x1C0));
        Assert.Equal(0, LibC.lchown(Folder, Nobody, Nobody));
        Assert.Equal(ErrorIds.StoreNotTrusted, Assert.Throws<ConmanException>(() => claims.Lock()).ErrorId);
        Assert.Equal(0, LibC.lchown(Folder, 0, 0));
        Assert.Equal(0, LibC.chmod(_parent, 0x1FF));
        Assert.Equal(ErrorIds.StoreNotTrusted, Assert.Throws<ConmanException>(() => claims.Lock()).ErrorId);
        Assert.Equal(0, LibC.chmod(_parent, 0x1C0));
        claims.Lock().Dispose();
    }

    [Fact]
    public void A_claim_that_does_not_read_is_kept_while_its_owner_lives_and_stops_the_choice()
    {
        var claims = new ClaimFolder(Folder);
        string owner = Path.Combine(_parent, "owner.pb"), gone = Path.Combine(_parent, "gone.pb");
        File.WriteAllText(owner, "");
        using (claims.Lock())
        {
            claims.Write("damaged", owner, ["not a claim"]);
            claims.Write("stale", gone, ["not a claim either"]);
            var error = Assert.Throws<ConmanException>(() => claims.Others(ownRecord: "", (string _, string _, string[] lines, out string claim) =>
            {
                claim = "";
                return false;
            }));
            Assert.Equal(ErrorIds.ClaimUnreadable, error.ErrorId);
        }
        Assert.True(File.Exists(claims.PathOf("damaged")));
        Assert.False(File.Exists(claims.PathOf("stale")));
    }

    [Fact]
    public void An_id_range_claim_that_does_not_read_counts_with_the_maps_its_owners_record_holds()
    {
        string owner = Path.Combine(_parent, "container.pb");
        var definition = new ContainerDefinition().WithGroups();
        definition.Security.UidMappings.Add(new IdMapping { ContainerId = 0, HostId = 300000, Size = 65536 });
        definition.Security.GidMappings.Add(new IdMapping { ContainerId = 0, HostId = 400000, Size = 65536 });
        File.WriteAllBytes(owner, new ContainerRecord { Id = "c1", Definition = definition }.ToByteArray());

        Assert.True(IdRangeClaims.TryRead("c1", owner, ["u 300000 garbage"], out var claim));
        Assert.Equal([new IdRange(300000, 65536)], claim.Uids);
        Assert.Equal([new IdRange(400000, 65536)], claim.Gids);

        File.WriteAllText(owner, "\xff not a record");
        Assert.False(IdRangeClaims.TryRead("c1", owner, ["u 300000 garbage"], out _));
    }

    private static unsafe uint Mode(string path)
    {
        LibC.FileStatus status;
        Assert.Equal(0, LibC.lstat(path, &status));
        return status.Mode & 0xFFF;
    }

    public void Dispose()
    {
        LibC.chmod(_parent, 0x1C0);
        Directory.Delete(_parent, recursive: true);
    }
}
