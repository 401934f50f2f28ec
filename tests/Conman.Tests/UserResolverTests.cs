using Conman.Engine;
using Conman.Engine.Spec;

namespace Conman.Tests;

/// <summary>-User against the root filesystem's /etc/passwd and /etc/group.</summary>
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
}
