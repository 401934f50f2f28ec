using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>The one place a container's options become its definition: merged with the image, every value checked.</summary>
[Trait("Category", "Unit")]
public sealed class ContainerDefinitionsTests : IDisposable
{
    private readonly string _rootFs = Directory.CreateTempSubdirectory("conman-xunit-definition").FullName;

    public ContainerDefinitionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootFs, "etc"));
        File.WriteAllText(Path.Combine(_rootFs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nworker:x:1000:1000::/home/worker:/bin/sh\n");
    }

    private ContainerDefinition Resolve(ContainerOptions options) => ContainerDefinitions.Resolve(options, image: null, () => []);

    private string ErrorOf(ContainerOptions options) => Assert.Throws<ConmanException>(() => Resolve(options)).ErrorId;

    [Fact]
    public void A_folders_definition_takes_a_shell_by_default_and_keeps_what_was_asked()
    {
        var definition = Resolve(new ContainerOptions
        { RootFs = _rootFs, Process = new() { User = "worker", WorkingDirectory = "/srv", Hostname = "box", Tty = true, Environment = new Dictionary<string, string> { ["MODE"] = "prod" }, Labels = new Dictionary<string, string> { ["tier"] = "web" } }, Storage = new() { ReadOnly = true } });
        Assert.Equal(["/bin/sh"], definition.Process.Command);
        Assert.Equal((Path.GetFullPath(_rootFs), "worker", "/srv", "box"), (definition.RootFs, definition.Process.User, definition.Process.WorkingDirectory, definition.Process.Hostname));
        Assert.Equal(("prod", "web", true, true), (definition.Process.Environment["MODE"], definition.Process.Labels["tier"], definition.Storage.ReadOnly, definition.Process.Tty));
        Assert.Equal("", definition.Image);
    }

    [Fact]
    public void Without_a_hostname_the_engine_picks_one_later() =>
        Assert.Equal("", Resolve(new ContainerOptions { RootFs = _rootFs }).Process.Hostname);

    [Fact]
    public void An_images_definition_names_it_and_stacks_its_layers()
    {
        var image = new ImageRecord { Id = "sha256:" + new string('a', 64), Config = new ImageConfig() };
        image.Config.Cmd.Add("/app");
        image.Layers.Add(new ImageLayer { ChainId = "sha256:" + new string('1', 64) });
        image.Layers.Add(new ImageLayer { ChainId = "sha256:" + new string('2', 64) });
        var definition = ContainerDefinitions.Resolve(new ContainerOptions { Image = "app:1" }, image, () => [_rootFs]);
        Assert.Equal(("app:1", image.Id, ""), (definition.Image, definition.ImageId, definition.RootFs));
        Assert.Equal(image.Layers.Select(l => l.ChainId), definition.Snapshots);
        Assert.Equal(["/app"], definition.Process.Command);
    }

    [Fact]
    public void An_image_without_a_command_needs_one()
    {
        var image = new ImageRecord { Id = "sha256:" + new string('b', 64), Config = new ImageConfig() };
        image.Names.Add("docker.io/library/empty:latest");
        var error = Assert.Throws<ConmanException>(() => ContainerDefinitions.Resolve(new ContainerOptions { Image = "empty" }, image, () => [_rootFs]));
        Assert.Equal(ErrorIds.InvalidCommand, error.ErrorId);
        Assert.Contains("docker.io/library/empty:latest", error.Message);
    }

    [Fact]
    public void Every_bad_value_is_a_clear_error_of_its_own()
    {
        Assert.Equal(ErrorIds.RootFsNotFound, ErrorOf(new ContainerOptions { RootFs = "/no/such/rootfs" }));
        // overlayfs splits its layer list on ':'.
        string colon = Directory.CreateDirectory(Path.Combine(_rootFs, "a:b")).FullName;
        Assert.Equal(ErrorIds.InvalidRootFsPath, ErrorOf(new ContainerOptions { RootFs = colon }));
        Assert.Equal(ErrorIds.InvalidContainerName, ErrorOf(new ContainerOptions { RootFs = _rootFs, Name = "bad name" }));
        Assert.Equal(ErrorIds.InvalidCommand, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Command = [""] } }));
        Assert.Equal(ErrorIds.InvalidEnvironment, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Environment = new Dictionary<string, string> { ["A=B"] = "x" } } }));
        Assert.Equal(ErrorIds.InvalidVolumeSpec, ErrorOf(new ContainerOptions { RootFs = _rootFs, Storage = new() { Volumes = ["relative/path:/data"] } }));
        Assert.Equal(ErrorIds.InvalidUser, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { User = "nobody-here" } }));
        Assert.Equal(ErrorIds.InvalidHostname, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Hostname = "-bad" } }));
        Assert.Equal(ErrorIds.InvalidWorkingDirectory, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { WorkingDirectory = "relative" } }));
    }

    [Fact]
    public void Values_runc_would_refuse_only_at_start_are_refused_at_create()
    {
        Assert.Equal(ErrorIds.InvalidEnvironment, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Environment = new Dictionary<string, string> { ["A"] = "x\0y" } } }));
        Assert.Equal(ErrorIds.InvalidCommand, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Command = ["/bin/sh", "-c", "echo\0hidden"] } }));
        Assert.Equal(ErrorIds.InvalidWorkingDirectory, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { WorkingDirectory = "/srv\0x" } }));
        Assert.Equal(ErrorIds.InvalidUser, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { User = "4294967295" } }));
        Assert.Equal(ErrorIds.InvalidUser, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { User = "0:4294967295" } }));
        Assert.Equal(ErrorIds.InvalidHostname, ErrorOf(new ContainerOptions { RootFs = _rootFs, Process = new() { Hostname = new string('h', 65) } }));
        Assert.Equal(new string('h', 64), Resolve(new ContainerOptions { RootFs = _rootFs, Process = new() { Hostname = new string('h', 64) } }).Process.Hostname);
        foreach (string root in new[] { "/", "//", "/." })
        {
            Assert.Equal(ErrorIds.InvalidVolumeSpec, ErrorOf(new ContainerOptions { RootFs = _rootFs, Storage = new() { Volumes = [$"{_rootFs}:{root}"] } }));
        }
        Assert.Equal(ErrorIds.UnusableStoreRoot, Assert.Throws<ConmanException>(() => ContainerDefinitions.ValidateStoreRoot("/var/lib/a,b")).ErrorId);
    }

    [Fact]
    public void Two_volumes_on_one_container_path_are_refused_however_the_path_is_spelled()
    {
        string other = Directory.CreateDirectory(Path.Combine(_rootFs, "other")).FullName;
        var error = Assert.Throws<ConmanException>(() => Resolve(new ContainerOptions { RootFs = _rootFs, Storage = new() { Volumes = [$"{_rootFs}:/x", $"{other}:/x/"] } }));
        Assert.Equal(ErrorIds.InvalidVolumeSpec, error.ErrorId);
        Assert.Contains("same container path", error.Message);
        var kept = Resolve(new ContainerOptions { RootFs = _rootFs, Storage = new() { Volumes = [$"{_rootFs}:/x//y/", $"{other}:/z:ro"] } });
        Assert.Equal(["/x/y", "/z"], kept.Storage.Volumes.Select(v => v.ContainerPath));
    }

    [Fact]
    public void A_stop_signal_is_taken_as_docker_takes_it_and_shown_by_name()
    {
        foreach (string given in new[] { "INT", "sigint", "2" })
        {
            var definition = Resolve(new ContainerOptions { RootFs = _rootFs, Lifetime = new() { StopSignal = given } });
            Assert.Equal(2, definition.Lifetime.StopSignal);
            Assert.Equal("SIGINT", LifetimeConfig.From(definition.Lifetime).StopSignal);
        }
        Assert.Equal("SIGTERM", LifetimeConfig.From(Resolve(new ContainerOptions { RootFs = _rootFs }).Lifetime).StopSignal);
        Assert.Equal(ErrorIds.InvalidSignal, ErrorOf(new ContainerOptions { RootFs = _rootFs, Lifetime = new() { StopSignal = "SIGNOPE" } }));
    }

    public void Dispose() => Directory.Delete(_rootFs, recursive: true);

    [Fact]
    public void Limits_are_checked_with_the_rest_and_kept_in_the_definition()
    {
        var host = new Conman.Engine.Resources.HostCapacity(new HashSet<int> { 0 }, SwapLimit: false, HardLimit: null);
        var limits = new ContainerLimits { Memory = 64L << 20, PidsLimit = 5 };
        var definition = ContainerDefinitions.Resolve(new ContainerOptions { RootFs = _rootFs, Limits = limits }, image: null, () => [], host);
        Assert.Equal((64L << 20, 5L), (definition.Resources.MemoryBytes, definition.Resources.PidsLimit));
        Assert.Null(Resolve(new ContainerOptions { RootFs = _rootFs }).Resources);
        var tooMany = new ContainerLimits { Cpus = 2 };
        Assert.Equal(ErrorIds.InvalidResourceLimit, Assert.Throws<ConmanException>(() =>
            ContainerDefinitions.Resolve(new ContainerOptions { RootFs = _rootFs, Limits = tooMany }, image: null, () => [], host)).ErrorId);
    }

    [Fact]
    public void User_namespace_maps_serve_for_both_and_auto_is_left_to_the_create()
    {
        var explicitMaps = Resolve(new ContainerOptions { RootFs = _rootFs, Security = new() { UidMap = ["0:100000:65536"] } });
        Assert.Equal("0:100000:65536", Conman.Engine.UserNamespaces.UserNamespaceSpec.Format(explicitMaps.Security.GidMappings));
        Assert.False(explicitMaps.Security.UserNamespaceAuto);
        var auto = Resolve(new ContainerOptions { RootFs = _rootFs, Security = new() { UserNs = "auto" } });
        Assert.True(auto.Security.UserNamespaceAuto);
        Assert.Empty(auto.Security.UidMappings);
        Assert.Empty(Resolve(new ContainerOptions { RootFs = _rootFs, Security = new() { UserNs = "host" } }).Security.UidMappings);
        Assert.Equal(ErrorIds.InvalidUserNamespace, ErrorOf(new ContainerOptions { RootFs = _rootFs, Security = new() { UserNs = "auto", GidMap = ["0:1:1"] } }));
        Assert.Equal(ErrorIds.InvalidUserNamespace, ErrorOf(new ContainerOptions { RootFs = _rootFs, Security = new() { UidMap = ["0:100000:10"], GidMap = ["1:100000:10"] } }));
    }
}
