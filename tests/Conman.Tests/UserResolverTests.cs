using Conman.Engine;
using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>-User against the root filesystem's /etc/passwd and /etc/group.</summary>
[Trait("Category", "Unit")]
public class UserResolverTests
{
    [Fact]
    public void Users_resolve_from_the_root_filesystems_passwd_and_group()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            File.WriteAllText(Path.Combine(rootFs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
            File.WriteAllText(Path.Combine(rootFs, "etc/group"), "root:x:0:\napps:x:1001:\nstaff:x:50:\n");
            Assert.Equal(new UserResolver.ContainerUser(0, 0), UserResolver.Resolve(null, new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 1001), UserResolver.Resolve("app", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 50), UserResolver.Resolve("app:staff", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(1000, 1001), UserResolver.Resolve("1000", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(4242, 7), UserResolver.Resolve("4242:7", new RootFsView([rootFs])));
            Assert.Equal(new UserResolver.ContainerUser(4242, 0), UserResolver.Resolve("4242", new RootFsView([rootFs])));
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("ghost", new RootFsView([rootFs]))).ErrorId);
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("app:nogroup", new RootFsView([rootFs]))).ErrorId);
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve("a:b:c", new RootFsView([rootFs]))).ErrorId);
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }

    [Fact]
    public void A_user_gets_the_groups_that_list_it_as_a_member_as_Docker_gives_them()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            File.WriteAllText(Path.Combine(rootFs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
            File.WriteAllText(Path.Combine(rootFs, "etc/group"), "root:x:0:\napps:x:1001:app\nstaff:x:50:app\nwheel:x:10:root,app\naudio:x:29:\n");
            var root = new RootFsView([rootFs]);
            Assert.Equal([1001u, 50u, 10u], UserResolver.Resolve("app", root).AdditionalGids);
            Assert.Equal([1001u, 50u, 10u], UserResolver.Resolve("1000:50", root).AdditionalGids);
            Assert.Equal([10u], UserResolver.Resolve(null, root).AdditionalGids);
            // A uid with no name in /etc/passwd is in no group but its own.
            Assert.Null(UserResolver.Resolve("4242", root).AdditionalGids);
            var spec = new OciSpec();
            SpecOptions.WithUser(UserResolver.Resolve("app", root))(spec);
            Assert.Equal([1001u, 50u, 10u], spec.Process.User.AdditionalGids);
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }

    [Fact]
    public void GroupAdd_adds_groups_by_name_or_number_to_the_users_own_and_refuses_a_name_the_image_lacks()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            File.WriteAllText(Path.Combine(rootFs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
            File.WriteAllText(Path.Combine(rootFs, "etc/group"), "root:x:0:\napp:x:1000:\nstaff:x:50:app\naudio:x:29:\n");
            var root = new RootFsView([rootFs]);
            ProcessDefinition Process(string user, params string[] groups) => new() { User = user, GroupAdd = { groups } };
            Assert.Equal([50u, 29u, 4242u], UserResolver.Resolve(Process("app", "audio", "4242", "staff"), root).AdditionalGids);
            Assert.Equal([29u], UserResolver.Resolve(Process("", "audio"), root).AdditionalGids);
            // An exec's -User gets the container's groups too, as docker exec's.
            Assert.Equal([50u, 29u], UserResolver.Resolve(Process("", "audio"), root, userOverride: "app").AdditionalGids);
            var error = Assert.Throws<ConmanException>(() => UserResolver.Resolve(Process("app", "video"), root));
            Assert.Equal(ErrorIds.InvalidUser, error.ErrorId);
            Assert.Contains("'video'", error.Message);
            Assert.Equal(ErrorIds.InvalidUser, Assert.Throws<ConmanException>(() => UserResolver.Resolve(Process("app", "4294967295"), root)).ErrorId);
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }

    [Fact]
    public void A_passwd_that_is_too_large_or_malformed_is_an_invalid_user_not_a_crash()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            string passwd = Path.Combine(rootFs, "etc/passwd");
            File.WriteAllText(passwd, "app:x:12a:7::/:/bin/sh\nbig:x:99999999999:0::/:/bin/sh\nmax:x:4294967295:0::/:/bin/sh\n");
            File.WriteAllText(Path.Combine(rootFs, "etc/group"), "odd:x:-1:\n");
            foreach (string user in new[] { "app", "big", "max", "0:odd" })
            {
                var error = Assert.Throws<ConmanException>(() => UserResolver.Resolve(user, new RootFsView([rootFs])));
                Assert.Equal(ErrorIds.InvalidUser, error.ErrorId);
            }
            // Sparse: gigabytes that cost nothing on disk, and would cost as much memory read whole.
            using (var sparse = new FileStream(passwd, FileMode.Create)) sparse.SetLength(8L << 30);
            var tooLarge = Assert.Throws<ConmanException>(() => UserResolver.Resolve("ghost", new RootFsView([rootFs])));
            Assert.Equal(ErrorIds.InvalidUser, tooLarge.ErrorId);
            Assert.Contains("larger than", tooLarge.Message);
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }

    [Fact]
    public void What_is_opened_is_the_file_that_was_checked()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-users").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootFs, "etc"));
            string passwd = Path.Combine(rootFs, "etc/passwd");
            File.WriteAllText(passwd, "app:x:1000:1000::/:/bin/sh\n");
            var (path, status) = new RootFsView([rootFs]).Find("/etc/passwd")!.Value;
            using (var same = RootFsView.OpenAsChecked(path, status)) Assert.NotNull(same);
            // Held open, so that no file made below can reuse its inode once it is unlinked.
            using var checkedFile = File.OpenRead(passwd);

            // A running container swaps a link to a file of the host in after the check.
            File.Delete(passwd);
            File.CreateSymbolicLink(passwd, "/etc/shadow");
            Assert.Null(RootFsView.OpenAsChecked(path, status));
            // Or another file of its own: not the one that was checked either.
            File.Delete(passwd);
            File.WriteAllText(passwd, "app:x:0:0::/:/bin/sh\n");
            Assert.Null(RootFsView.OpenAsChecked(path, status));
        }
        finally
        {
            Directory.Delete(rootFs, true);
        }
    }
}
