using System.Net;
using Conman.Engine;
using Conman.Engine.Building;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Native;

namespace Conman.Tests;

/// <summary>
/// Host paths a user gives, as the engine takes them: one holding a NUL (which no Linux path can
/// hold: the kernel would stop at it and act on another file) is an InvalidHostPath error, not
/// .NET's ArgumentException; an export goes only where docker save -o would write. Each is refused
/// before anything is read or written: no container, image or registry is needed to see it.
/// </summary>
public sealed class HostPathTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-paths").FullName;
    private readonly ContainerEngine _engine;

    public HostPathTests() => _engine = new ContainerEngine(new StoreLayout(Path.Combine(_work, "root")));

    private string WithNul => Path.Combine(_work, "a\0b");

    public static TheoryData<string> Calls => new()
    {
        "Copy-ContainerItem -FromContainer -Destination",
        "Copy-ContainerItem -ToContainer -Path",
        "Export-ContainerImage -Path",
        "Import-ContainerImage -Path",
        "New-Container -RootFs",
        "New-Container -SecurityOpt seccomp=",
        "Build-ContainerImage -Path",
        "Build-ContainerImage -File",
        "Connect-ContainerRegistry -AuthFile",
        "Disconnect-ContainerRegistry -AuthFile",
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_NUL_in_a_host_path_is_InvalidHostPath_and_changes_nothing(string call)
    {
        Action act = call switch
        {
            "Copy-ContainerItem -FromContainer -Destination" => () => _engine.Files.CopyFromContainer("box", "/etc/passwd", WithNul),
            "Copy-ContainerItem -ToContainer -Path" => () => _engine.Files.CopyToContainer("box", WithNul, "/tmp"),
            "Export-ContainerImage -Path" => () => _engine.Images.Export(["busybox"], WithNul, ImageArchiveFormat.DockerArchive, false, _ => { }, CancellationToken.None),
            "Import-ContainerImage -Path" => () => _engine.Images.Import(WithNul, null, _ => { }, CancellationToken.None),
            "New-Container -RootFs" => () => _engine.Containers.Create(new ContainerOptions { RootFs = WithNul, Process = new() { Command = ["true"] } }),
            "New-Container -SecurityOpt seccomp=" => () => _engine.Containers.Create(new ContainerOptions { RootFs = _work, Process = new() { Command = ["true"] }, Security = new() { SecurityOpt = ["seccomp=" + WithNul] } }),
            "Build-ContainerImage -Path" => () => _engine.Builds.Build(Build(WithNul, null), _ => { }),
            "Build-ContainerImage -File" => () => _engine.Builds.Build(Build(_work, WithNul), _ => { }),
            "Connect-ContainerRegistry -AuthFile" => () => _engine.Images.Login("localhost:1", new NetworkCredential("u", "p"), false, WithNul, CancellationToken.None),
            _ => () => _engine.Images.Logout("localhost:1", false, WithNul),
        };
        var error = Assert.Throws<ConmanException>(act);
        Assert.Equal((ErrorIds.InvalidHostPath, ConmanErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains("a\\0b", error.Message);
        Assert.Empty(_engine.Containers.List());
    }

    private static BuildOptions Build(string context, string? file) =>
        new(context, file, ["built:1"], new Dictionary<string, string>(), new Dictionary<string, string>(), null, false);

    [Fact]
    public void An_export_into_a_folder_that_does_not_exist_says_which_folder()
    {
        string missing = Path.Combine(_work, "no", "such");
        var error = Assert.Throws<ConmanException>(() =>
            _engine.Images.Export(["busybox"], Path.Combine(missing, "out.tar"), ImageArchiveFormat.DockerArchive, false, _ => { }, CancellationToken.None));
        Assert.Equal((ErrorIds.HostPathNotFound, ConmanErrorKind.NotFound, missing), (error.ErrorId, error.Kind, error.Target));
    }

    [Theory]
    [InlineData("link", "a symbolic link")]
    [InlineData("fifo", "a FIFO")]
    [InlineData("device", "a device")]
    public unsafe void An_export_never_replaces_nor_writes_through_what_is_not_a_regular_file(string kind, string said)
    {
        string path = Path.Combine(_work, kind);
        string file = Path.Combine(_work, "the-users");
        File.WriteAllText(file, "keep");
        switch (kind)
        {
            case "link": File.CreateSymbolicLink(path, file); break;
            case "fifo": Assert.Equal(0, LibC.mknod(path, LibC.S_IFIFO | 0x1A4, 0)); break;
            default: Assert.Equal(0, LibC.mknod(path, LibC.S_IFCHR | 0x1B6, LibC.MakeDevice(1, 3))); break;
        }
        LibC.FileStatus before;
        Assert.Equal(0, LibC.lstat(path, &before));

        var error = Assert.Throws<ConmanException>(() =>
            _engine.Images.Export(["busybox"], path, ImageArchiveFormat.DockerArchive, false, _ => { }, CancellationToken.None));

        Assert.Equal((ErrorIds.InvalidExportPath, ConmanErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains(said, error.Message);
        LibC.FileStatus after;
        Assert.Equal(0, LibC.lstat(path, &after));
        Assert.Equal((before.Type, before.Inode), (after.Type, after.Inode));
        Assert.Equal("keep", File.ReadAllText(file));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
