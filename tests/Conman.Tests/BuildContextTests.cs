using Conman.Engine;
using Conman.Engine.Building;
using Conman.Native;

namespace Conman.Tests;

/// <summary>
/// What a COPY or ADD finds in a build context: looked up as in a chroot of the context, as buildah
/// and BuildKit look it up, so that a link never leads to a host file; globs never walk through a
/// link (issue 19).
/// </summary>
[Trait("Category", "Unit")]
public sealed unsafe class BuildContextTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-context").FullName;
    private readonly string _context;
    private readonly BuildContext _opened;

    public BuildContextTests()
    {
        string host = Directory.CreateDirectory(Path.Combine(_work, "host")).FullName;
        File.WriteAllText(Path.Combine(host, "secret"), "host secret");
        _context = Directory.CreateDirectory(Path.Combine(_work, "context")).FullName;
        Directory.CreateDirectory(Path.Combine(_context, "sub"));
        File.WriteAllText(Path.Combine(_context, "sub/inside"), "inside");
        File.CreateSymbolicLink(Path.Combine(_context, "hostlink"), host);
        File.CreateSymbolicLink(Path.Combine(_context, "uplink"), "../host");
        File.CreateSymbolicLink(Path.Combine(_context, "insub"), "sub");
        File.CreateSymbolicLink(Path.Combine(_context, "inlink"), "sub/inside");
        File.CreateSymbolicLink(Path.Combine(_context, "abslink"), "/sub/inside");
        File.CreateSymbolicLink(Path.Combine(_context, "loop"), "loop");
        _opened = BuildContext.Open(_context);
    }

    [Theory]
    [InlineData("hostlink/secret")]
    [InlineData("hostlink")]
    [InlineData("uplink/secret")]
    public void A_link_out_of_the_context_leads_to_nothing(string source) => Assert.Null(_opened.Find(source, "COPY (line 2)"));

    [Theory]
    [InlineData("inlink")]
    [InlineData("abslink")]
    [InlineData("insub/inside")]
    public void A_link_inside_the_context_is_followed_and_known_by_the_path_it_leads_to(string source)
    {
        using var found = _opened.Find(source, "COPY (line 2)");
        Assert.NotNull(found);
        Assert.Equal((LibC.S_IFREG, "sub/inside", source[(source.LastIndexOf('/') + 1)..]), (found.Status.Type, found.PathInContext, found.Name));
        using var reader = new StreamReader(found.OpenFile("COPY (line 2)"));
        Assert.Equal("inside", reader.ReadToEnd());
    }

    [Fact]
    public void A_link_loop_is_a_clear_error()
    {
        var error = Assert.Throws<ConmanException>(() => _opened.Find("loop", "COPY (line 2)"));
        Assert.Equal((ErrorIds.BuildCopyFailed, "loop"), (error.ErrorId, error.Target));
    }

    [Fact]
    public void A_glob_matches_links_as_entries_and_never_walks_through_them()
    {
        var none = DockerIgnore.Parse(null);
        Assert.Empty(_opened.Glob("*/secret", none));
        Assert.Equal(["sub/inside"], _opened.Glob("*/inside", none));
        Assert.Equal(["abslink", "hostlink", "inlink", "uplink"], _opened.Glob("*link", none));
    }

    [Fact]
    public void A_link_does_not_bring_in_what_dockerignore_leaves_out()
    {
        using var staging = BuildStaging.Create(Path.Combine(_work, "staging"));
        var ignore = DockerIgnore.Parse("sub/inside\n");
        var error = Assert.Throws<ConmanException>(() => staging.AddFromContext(_opened, ignore, ["inlink"], false, false, "COPY (line 2)", CancellationToken.None));
        Assert.Equal(ErrorIds.BuildSourceNotFound, error.ErrorId);
        staging.AddFromContext(_opened, ignore, ["insub"], true, false, "COPY (line 2)", CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging.Folder));
    }

    [Fact]
    public void A_fifo_is_staged_as_a_fifo_without_being_opened()
    {
        Assert.Equal(0, LibC.mknod(Path.Combine(_context, "sub/pipe"), LibC.S_IFIFO | 0x1A4, 0));
        using var staging = BuildStaging.Create(Path.Combine(_work, "staging"));
        // Opening the fifo for reading would wait for a writer for ever; the test's bound turns that into a failure.
        var copy = Task.Run(() => staging.AddFromContext(_opened, DockerIgnore.Parse(null), ["sub"], true, false, "COPY (line 2)", CancellationToken.None));
        Assert.True(copy.Wait(TimeSpan.FromSeconds(20)), "the copy of a folder holding a fifo finished");
        LibC.FileStatus status;
        Assert.Equal(0, LibC.lstat(Path.Combine(staging.Folder, "pipe"), &status));
        Assert.Equal(LibC.S_IFIFO, status.Type);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(staging.Folder, "inside")));
    }

    public void Dispose()
    {
        _opened.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
