using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Spec;
using Conman.Engine.Volumes;

namespace Conman.Tests;

/// <summary>
/// Where a mount may go, checked at create as runc checks it at every start: a container created
/// with a destination runc refuses would fail every start. No root, no runc.
/// </summary>
[Trait("Category", "Unit")]
public class MountDestinationTests
{
    [Theory]
    [InlineData("/proc")]
    [InlineData("/proc/")]
    [InlineData("//proc/./sys")]
    [InlineData("/proc/cpuinfo")]
    public void Tmpfs_and_store_volumes_in_proc_are_refused_at_create(string path)
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-xunit-dest").FullName;
        try
        {
            Assert.Equal(ErrorIds.InvalidTmpfs, Assert.Throws<ConmanException>(() =>
                ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Storage = new() { Tmpfs = [path] } }, null, () => [])).ErrorId);
            Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeArguments.Parse($"data:{path}")).ErrorId);
            Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeArguments.ForImage([path], []).ToList()).ErrorId);
            Assert.Equal(ErrorIds.InvalidDevice, Assert.Throws<ConmanException>(() => DeviceSpec.Parse($"/dev/null:{path}")).ErrorId);
        }
        finally
        {
            Directory.Delete(rootFs);
        }
    }

    [Fact]
    public void A_bind_mount_over_a_file_lxcfs_emulates_is_taken_as_runc_takes_it()
    {
        Assert.Equal("/proc/meminfo", VolumeSpec.Parse("/tmp:/proc//meminfo").ContainerPath);
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeSpec.Parse("/tmp:/proc/sys")).ErrorId);
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeSpec.Parse("/tmp:/proc")).ErrorId);
    }

    [Theory]
    [InlineData("/processes", "/processes")]
    [InlineData("/srv//proc/", "/srv/proc")]
    [InlineData("/./data/.", "/data")]
    public void Paths_that_only_look_like_proc_are_destinations(string path, string normal) =>
        Assert.Equal(normal, MountDestination.Check(path, bind: false, why => new ConmanException(ConmanErrorKind.InvalidArgument, "x", why)));
}
