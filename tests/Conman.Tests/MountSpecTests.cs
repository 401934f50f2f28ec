using Conman.Engine;
using Conman.Engine.Spec;

namespace Conman.Tests;

/// <summary>Docker's --mount long form, read into the short forms -Volume and -Tmpfs take.</summary>
[Trait("Category", "Unit")]
public class MountSpecTests
{
    [Theory]
    [InlineData("type=bind,source=/srv,target=/data", "/srv:/data", null)]
    [InlineData("type=bind,src=/srv,dst=/data,readonly", "/srv:/data:ro", null)]
    [InlineData("type=bind,source=/srv,destination=/data,ro=true", "/srv:/data:ro", null)]
    [InlineData("type=volume,source=data,target=/data", "data:/data", null)]
    [InlineData("source=data,target=/data,readonly=false", "data:/data", null)]
    [InlineData("type=volume,target=/cache", "/cache", null)]
    [InlineData("type=tmpfs,target=/cache", null, "/cache")]
    [InlineData("type=tmpfs,target=/cache,tmpfs-size=64m,tmpfs-mode=1777", null, "/cache:size=64m,mode=1777")]
    [InlineData("Type=TMPFS,Target=/cache,ReadOnly", null, "/cache:ro")]
    public void Reads_the_long_form_into_the_short_one(string mount, string? volume, string? tmpfs) =>
        Assert.Equal((volume, tmpfs), MountSpec.ToShortForm(mount));

    [Theory]
    [InlineData("type=bind,target=/data")]
    [InlineData("type=bind,source=relative,target=/data")]
    [InlineData("type=volume,source=data")]
    [InlineData("type=nfs,source=data,target=/data")]
    [InlineData("type=bind,source=/srv,target=/data,bind-propagation=rshared")]
    [InlineData("type=volume,source=data,target=/data,tmpfs-size=1m")]
    [InlineData("type=tmpfs,source=x,target=/data")]
    [InlineData("type=bind,source=/srv,target=/data,readonly=maybe")]
    public void Refuses_what_it_cannot_mount_by_name(string mount) =>
        Assert.Equal(ErrorIds.InvalidMount, Assert.Throws<ConmanException>(() => MountSpec.ToShortForm(mount)).ErrorId);
}
