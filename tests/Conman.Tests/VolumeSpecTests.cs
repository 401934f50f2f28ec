using Conman.Engine;
using Conman.Engine.Spec;

namespace Conman.Tests;

/// <summary>Docker's -v syntax.</summary>
[Trait("Category", "Unit")]
public class VolumeSpecTests
{
    [Fact]
    public void Volume_specs_parse_with_and_without_ro()
    {
        var rw = VolumeSpec.Parse("/tmp:/data");
        Assert.Equal(("/tmp", "/data", false), (rw.HostPath, rw.ContainerPath, rw.ReadOnly));
        Assert.True(VolumeSpec.Parse("/tmp:/data:ro").ReadOnly);
        Assert.False(VolumeSpec.Parse("/tmp:/data:rw").ReadOnly);
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("tmp:/data")]
    [InlineData("/tmp:data")]
    [InlineData("/tmp:/data:bogus")]
    [InlineData("/tmp:/a/../../etc")]
    [InlineData("/does/not/exist:/data")]
    [InlineData("/tmp::/data")]
    [InlineData("/:/host:U")]
    [InlineData("//:/host:ro,U")]
    public void Invalid_volume_specs_are_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeSpec.Parse(spec)).ErrorId);
}

/// <summary>The options after -v's container path: ro or rw, podman's U, and SELinux's z and Z taken and ignored.</summary>
[Trait("Category", "Unit")]
public class MountOptionsTests
{
    [Theory]
    [InlineData("ro", true, false)]
    [InlineData("rw", false, false)]
    [InlineData("U", false, true)]
    [InlineData("ro,U", true, true)]
    [InlineData("U,rw", false, true)]
    [InlineData("z", false, false)]
    [InlineData("Z,ro", true, false)]
    public void Options_read_as_docker_and_podman_write_them(string text, bool readOnly, bool chown) =>
        Assert.Equal(new MountOptions(readOnly, chown), MountOptions.Parse("x", text, "y"));

    [Theory]
    [InlineData("bogus")]
    [InlineData("ro,rw")]
    [InlineData("U,U")]
    [InlineData("u")]
    [InlineData("ro,")]
    public void Other_options_are_refused(string text) =>
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => MountOptions.Parse("x", text, "y")).ErrorId);

    [Fact]
    public void Both_forms_of_volume_take_them()
    {
        var bind = VolumeSpec.Parse("/tmp:/data:ro,U");
        Assert.True(bind.ReadOnly && bind.ChownToUser);
        var named = Conman.Engine.Volumes.VolumeArguments.Parse("data:/data:U");
        Assert.True(named.ChownToUser && !named.ReadOnly);
        Assert.Equal(":ro,U", MountOptions.Suffix(true, true));
        Assert.Equal("", MountOptions.Suffix(false, false));
    }
}
