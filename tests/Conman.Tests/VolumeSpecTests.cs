using Conman.Engine;
using Conman.Engine.Spec;

namespace Conman.Tests;

/// <summary>Docker's -v syntax.</summary>
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
    public void Invalid_volume_specs_are_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeSpec.Parse(spec)).ErrorId);
}
