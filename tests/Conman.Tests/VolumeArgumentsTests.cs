using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Spec;
using Conman.Engine.Volumes;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>Docker's -v forms that name store volumes, an image's VOLUME entries, and the spec they make.</summary>
[Trait("Category", "Unit")]
public class VolumeArgumentsTests
{
    [Fact]
    public void A_named_volume_takes_a_name_a_container_path_and_ro_or_rw()
    {
        var data = VolumeArguments.Parse("data:/var/lib/x//");
        Assert.Equal(("data", "/var/lib/x", false, false), (data.Name, data.ContainerPath, data.ReadOnly, data.Anonymous));
        Assert.True(VolumeArguments.Parse("my_vol.1-x:/x:ro").ReadOnly);
        Assert.False(VolumeArguments.Parse("db:/x:rw").ReadOnly);
    }

    [Fact]
    public void A_path_alone_is_a_new_anonymous_volume_named_as_Dockers()
    {
        var first = VolumeArguments.Parse("/cache/./x");
        var second = VolumeArguments.Parse("/cache/./x");
        Assert.Equal(("/cache/x", true), (first.ContainerPath, first.Anonymous));
        Assert.Matches("^[0-9a-f]{64}$", first.Name);
        Assert.NotEqual(first.Name, second.Name);
    }

    [Theory]
    [InlineData("/host:/x", false)]
    [InlineData("/x", true)]
    [InlineData("data:/x", true)]
    [InlineData("data:/x:ro", true)]
    public void Only_a_host_path_with_a_container_path_is_a_bind(string spec, bool storeVolume) =>
        Assert.Equal(storeVolume, VolumeArguments.IsStoreVolume(spec));

    [Theory]
    [InlineData("a:/x")]
    [InlineData("-data:/x")]
    [InlineData(".data:/x")]
    [InlineData("da ta:/x")]
    [InlineData("da$ta:/x")]
    public void Names_outside_Dockers_rule_are_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidVolumeName, Assert.Throws<ConmanException>(() => VolumeArguments.Parse(spec)).ErrorId);

    [Fact]
    public void A_name_is_at_most_128_characters()
    {
        Assert.Equal(new string('v', 128), VolumeArguments.Parse(new string('v', 128) + ":/x").Name);
        Assert.Equal(ErrorIds.InvalidVolumeName, Assert.Throws<ConmanException>(() => VolumeArguments.Parse(new string('v', 129) + ":/x")).ErrorId);
        Assert.False(VolumeStore.IsValidName("../x"));
        Assert.False(VolumeStore.IsValidName("x\0y"));
    }

    [Theory]
    [InlineData("data/x:/y")]
    [InlineData("data:relative")]
    [InlineData("data:/a/../../etc")]
    [InlineData("data:/")]
    [InlineData("data://")]
    [InlineData("/")]
    [InlineData("data:/x:bogus")]
    [InlineData("data:/x:ro:more")]
    [InlineData("data::/x")]
    [InlineData(":/x")]
    [InlineData("data:/x\0y")]
    public void Malformed_volume_arguments_are_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeArguments.Parse(spec)).ErrorId);

    [Fact]
    public void An_images_volumes_become_anonymous_volumes_except_where_something_else_is_mounted()
    {
        var made = VolumeArguments.ForImage(["/data", "/logs/", "/data", "/bound", "/tmpfs"], ["/bound", "/tmpfs"]).ToList();
        Assert.Equal(["/data", "/logs"], made.Select(v => v.ContainerPath));
        Assert.All(made, v => Assert.True(v.Anonymous));
        Assert.Equal(ErrorIds.InvalidVolumeSpec, Assert.Throws<ConmanException>(() => VolumeArguments.ForImage(["relative"], []).ToList()).ErrorId);
    }

    [Fact]
    public void An_image_configs_Volumes_are_read_into_its_record()
    {
        const string json = """{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"],"Volumes":{"/var/lib/db":{},"/logs":{}}},"rootfs":{"type":"layers","diff_ids":[]}}""";
        var config = OciDocuments.ParseConfig(System.Text.Encoding.UTF8.GetBytes(json), "config").Defaults;
        Assert.Equal(["/var/lib/db", "/logs"], config.Volumes);
    }

    [Fact]
    public void A_definition_keeps_named_and_image_volumes_and_refuses_two_mounts_at_one_path()
    {
        string rootFs = Directory.CreateTempSubdirectory("conman-xunit-volumes").FullName;
        try
        {
            var image = new ImageRecord { Id = "sha256:" + new string('a', 64), Config = new ImageConfig { Cmd = { "sh" }, Volumes = { "/data", "/seed" } } };
            var definition = ContainerDefinitions.Resolve(new ContainerOptions { Image = "img", Storage = new() { Volumes = ["db:/data:ro", "/extra", $"{rootFs}:/host"] } },
                image, () => [rootFs]);
            Assert.Equal([("db", "/data", true, false)], definition.Storage.NamedVolumes.Where(v => !v.Anonymous).Select(v => (v.Name, v.ContainerPath, v.ReadOnly, v.Anonymous)));
            Assert.Equal(["/extra", "/seed"], definition.Storage.NamedVolumes.Where(v => v.Anonymous).Select(v => v.ContainerPath));
            Assert.Equal("/host", Assert.Single(definition.Storage.Volumes).ContainerPath);
            // A build step's container writes to its layer, where the image has VOLUMEs too.
            var step = ContainerDefinitions.Resolve(new ContainerOptions { Image = "img", WithoutImageVolumes = true }, image, () => [rootFs]);
            Assert.Empty(step.Storage.NamedVolumes);
            var clash = Assert.Throws<ConmanException>(() =>
                ContainerDefinitions.Resolve(new ContainerOptions { RootFs = rootFs, Storage = new() { Volumes = ["db:/x", $"{rootFs}:/x/"] } }, null, () => [rootFs]));
            Assert.Equal(ErrorIds.InvalidVolumeSpec, clash.ErrorId);
        }
        finally
        {
            Directory.Delete(rootFs, recursive: true);
        }
    }

    [Fact]
    public void Store_volumes_are_bound_from_their_data_folders()
    {
        var spec = ContainerSpec.Build([SpecOptions.WithStoreVolumes([new VolumeUse { Name = "db", ContainerPath = "/data", ReadOnly = true }], n => "/store/volumes/" + n + "/_data")]);
        var mount = Assert.Single(spec.Mounts);
        Assert.Equal(("/data", "bind", "/store/volumes/db/_data"), (mount.Destination, mount.Type, mount.Source));
        Assert.Equal(["rbind", "rprivate", "ro"], mount.Options);
    }
}
