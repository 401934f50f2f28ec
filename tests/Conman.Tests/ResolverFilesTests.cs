using Conman.Engine.Networks;
using Conman.Protocol;
using Xunit;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class ResolverFilesTests
{
    [Fact]
    public void A_containers_resolv_conf_drops_the_hosts_loopback_resolvers_as_Docker_does()
    {
        string host = "# generated\nsearch example.test\nnameserver 127.0.0.53\nnameserver 192.0.2.53\nnameserver ::1\noptions edns0\n";
        Assert.Equal("# generated\nsearch example.test\nnameserver 192.0.2.53\noptions edns0\n", ResolverFiles.ForContainer(host));
    }

    [Fact]
    public void With_only_loopback_resolvers_the_container_gets_Dockers_defaults()
    {
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", ResolverFiles.ForContainer("nameserver 127.0.0.1\n"));
    }

    [Fact]
    public void A_members_hosts_file_lists_itself_then_each_neighbour_address_once()
    {
        var web = new NetworkHostsFiles.Member("w", "/c/w/hosts", "10.90.1.2", ["web", "www"], ["/m/a"], []);
        var db = new NetworkHostsFiles.Member("d", "/c/d/hosts", "10.90.1.3", ["db"], ["/m/a"], []);
        string hosts = NetworkHostsFiles.HostsOf(web, [db, db]);
        Assert.Equal(NetworkHostsFiles.Header + "10.90.1.2\tweb www\n10.90.1.3\tdb\n", hosts);
    }

    [Fact]
    public void A_member_on_two_networks_lists_both_its_addresses_whichever_network_rewrites_its_file()
    {
        var own = new NetworkHostsFiles.Entry[] { new("10.90.1.2", ["web"]), new("10.90.2.2", ["web", "api"]) };
        var onFirst = new NetworkHostsFiles.Member("w", "/c/w/hosts", "10.90.1.2", ["web"], ["/m/a", "/m/b"], own);
        var onSecond = onFirst with { Address = "10.90.2.2", Names = ["web", "api"] };
        Assert.Equal(NetworkHostsFiles.HostsOf(onFirst, []), NetworkHostsFiles.HostsOf(onSecond, []));
        Assert.Equal(NetworkHostsFiles.Header + "10.90.1.2\tweb\n10.90.2.2\tweb api\n", NetworkHostsFiles.HostsOf(onFirst, []));
    }

    [Fact]
    public void Member_records_round_trip_through_the_wire_format_the_shim_reads()
    {
        string folder = Path.Combine(Path.GetTempPath(), "conman-members-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            var member = new NetworkHostsFiles.Member("c1", "/c/c1/hosts", "10.90.1.9", ["app", "c1short"], [folder],
                [new("10.90.1.9", ["app", "c1short"]), new("10.90.2.4", ["app", "c1short", "alias"])]);
            string file = NetworkHostsFiles.MemberFile(folder, "c1");
            File.WriteAllBytes(file, NetworkHostsFiles.Encode(member));
            var read = NetworkHostsFiles.Read(file)!;
            Assert.Equal((member.ContainerId, member.HostsPath, member.Address), (read.ContainerId, read.HostsPath, read.Address));
            Assert.Equal(member.Names, read.Names);
            Assert.Equal(member.MemberFolders, read.MemberFolders);
            Assert.Equal(member.Own.Select(e => (e.Address, string.Join(' ', e.Names))), read.Own.Select(e => (e.Address, string.Join(' ', e.Names))));
            File.WriteAllBytes(file, [0x0a, 0x05, 0x01]);
            Assert.Null(NetworkHostsFiles.Read(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Leaving_rewrites_the_remaining_members_hosts_files_in_place()
    {
        string root = Path.Combine(Path.GetTempPath(), "conman-leave-" + Guid.NewGuid().ToString("n"));
        string folder = Path.Combine(root, "members", "lan");
        Directory.CreateDirectory(folder);
        try
        {
            string webHosts = Path.Combine(root, "web-hosts"), dbHosts = Path.Combine(root, "db-hosts");
            File.WriteAllText(webHosts, "");
            File.WriteAllText(dbHosts, "");
            var web = new NetworkHostsFiles.Member("w", webHosts, "10.90.1.2", ["web"], [folder], []);
            var db = new NetworkHostsFiles.Member("d", dbHosts, "10.90.1.3", ["db"], [folder], []);
            File.WriteAllBytes(NetworkHostsFiles.MemberFile(folder, "w"), NetworkHostsFiles.Encode(web));
            File.WriteAllBytes(NetworkHostsFiles.MemberFile(folder, "d"), NetworkHostsFiles.Encode(db));
            // A bind mount pins the inode: a rewrite must keep it, as a rename would not.
            ulong before = Inode(webHosts);
            NetworkHostsFiles.Joined([folder]);
            Assert.Contains("10.90.1.3\tdb", File.ReadAllText(webHosts));
            NetworkHostsFiles.Leave(NetworkHostsFiles.MemberFile(folder, "d"));
            Assert.DoesNotContain("db", File.ReadAllText(webHosts));
            Assert.Equal(before, Inode(webHosts));
            NetworkHostsFiles.Leave(NetworkHostsFiles.MemberFile(folder, "d"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static unsafe ulong Inode(string path)
    {
        Conman.Native.LibC.FileStatus status;
        Assert.Equal(0, Conman.Native.LibC.lstat(path, &status));
        return status.Inode;
    }
}
