using Conman.Engine.Building;
using Conman.Native;

namespace Conman.Tests;

/// <summary>
/// A COPY's staging folder holds links from the context, an image or an ADDed root filesystem
/// (var/run -> /run): --chown and the build cache's digest act on the links themselves, never on
/// the host files they point to (issue 19).
/// </summary>
public sealed unsafe class BuildStagingTests : IDisposable
{
    private const uint HostOwner = 4242;
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-staging").FullName;
    private readonly string _host;
    private readonly BuildStaging _staging;

    public BuildStagingTests()
    {
        // A host folder a staged link points to: a file and a folder, owned by 4242.
        _host = Directory.CreateDirectory(Path.Combine(_work, "host")).FullName;
        File.WriteAllText(Path.Combine(_host, "secret"), "host secret");
        Directory.CreateDirectory(Path.Combine(_host, "owned"));
        foreach (string path in new[] { _host, Path.Combine(_host, "secret"), Path.Combine(_host, "owned") }) Assert.Equal(0, LibC.lchown(path, HostOwner, HostOwner));
        _staging = BuildStaging.Create(Path.Combine(_work, "staging"));
        Directory.CreateDirectory(Path.Combine(_staging.Folder, "var"));
        File.CreateSymbolicLink(Path.Combine(_staging.Folder, "var/run"), _host);
        Directory.CreateDirectory(Path.Combine(_staging.Folder, "dev"));
        File.CreateSymbolicLink(Path.Combine(_staging.Folder, "dev/fd"), "/proc/self/fd");
        File.WriteAllText(Path.Combine(_staging.Folder, "file"), "staged");
    }

    [Fact]
    public void The_digest_hashes_a_links_target_and_never_reads_through_it()
    {
        var before = _staging.Digest();
        File.WriteAllText(Path.Combine(_host, "secret"), "changed on the host");
        File.WriteAllText(Path.Combine(_host, "new"), "new on the host");
        Assert.Equal(before, _staging.Digest());

        File.WriteAllText(Path.Combine(_staging.Folder, "file"), "changed in the staging");
        Assert.NotEqual(before, _staging.Digest());
    }

    [Fact]
    public void Chown_gives_the_staged_links_the_owner_and_leaves_the_host_folder_they_point_to()
    {
        _staging.SetOwner(7, 7);
        foreach (string path in new[] { _host, Path.Combine(_host, "secret"), Path.Combine(_host, "owned") }) Assert.Equal((HostOwner, HostOwner), Owner(path));
        foreach (string staged in new[] { "var", "var/run", "dev/fd", "file" }) Assert.Equal((7u, 7u), Owner(Path.Combine(_staging.Folder, staged)));
    }

    private static (uint, uint) Owner(string path)
    {
        LibC.FileStatus status;
        Assert.Equal(0, LibC.lstat(path, &status));
        return (status.Uid, status.Gid);
    }

    public void Dispose()
    {
        _staging.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
