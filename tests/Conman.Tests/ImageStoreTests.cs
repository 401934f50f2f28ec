using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>The image store through the engine, against real files: what a failed or cancelled import leaves.</summary>
public sealed class ImageStoreTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-images").FullName;
    private readonly StoreLayout _layout;
    private readonly ImageManager _images;

    public ImageStoreTests()
    {
        _layout = new StoreLayout(Path.Combine(_work, "root"));
        _images = new ImageManager(_layout);
    }

    private string Layout(string name, IReadOnlyList<byte[]> layers, IReadOnlyList<string>? diffIds = null)
    {
        string folder = Path.Combine(_work, name);
        TestLayouts.Write(folder, name + ":1", layers, diffIds);
        return folder;
    }

    private int Count(string folder) => Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder).Count() : 0;

    [Fact]
    public void Zstd_layers_are_unpacked_and_checked_against_their_diff_ids_as_gzip_ones_are()
    {
        byte[] second = TestLayouts.Layer([("hello.txt", "from zstd"u8.ToArray(), null)]);
        string layout = Path.Combine(_work, "zstd");
        TestLayouts.Write(layout, "zstd:1", [TestLayouts.BusyboxLayer(), second], zstd: true);
        var image = Assert.Single(_images.Import(layout, null, _ => { }, CancellationToken.None));
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerZstd, l.MediaType));
        Assert.Equal("from zstd", File.ReadAllText(Path.Combine(_layout.SnapshotTree(Digest.Parse(image.Layers[1].ChainId).Hex), "hello.txt")));

        string lying = Path.Combine(_work, "zstd-lying");
        TestLayouts.Write(lying, "lying:1", [second], [TestLayouts.DigestOf("something else"u8.ToArray())], zstd: true);
        var error = Assert.Throws<ConmanException>(() => _images.Import(lying, null, _ => { }, CancellationToken.None));
        Assert.Equal(ErrorIds.LayerDiffIdMismatch, error.ErrorId);
    }

    [Fact]
    public void Cancelling_while_unpacking_leaves_no_image_and_no_half_made_snapshot()
    {
        string layout = Layout("cancelled", [TestLayouts.BusyboxLayer()]);
        using var cancel = new CancellationTokenSource();
        var seen = new List<ImageProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => _images.Import(layout, null, progress =>
        {
            seen.Add(progress);
            if (progress.Activity == "Unpacking") cancel.Cancel();
        }, cancel.Token));
        Assert.Contains(seen, p => p.Activity == "Importing" && p.Completed);
        Assert.Empty(_images.List());
        Assert.Equal(0, Count(_layout.SnapshotsFolder));
        Assert.Equal(0, Count(_layout.IngestFolder));
        // The blobs that were complete stay, so that the next try does not copy them again.
        Assert.Equal(3, Count(_layout.BlobsFolder));
        Assert.Single(_images.Import(layout, null, _ => { }, CancellationToken.None));
    }

    [Fact]
    public void A_layer_that_does_not_unpack_to_its_diff_id_is_refused()
    {
        string layout = Layout("lying", [TestLayouts.BusyboxLayer()], ["sha256:" + new string('0', 64)]);
        var error = Assert.Throws<ConmanException>(() => _images.Import(layout, null, _ => { }, CancellationToken.None));
        Assert.Equal(ErrorIds.LayerDiffIdMismatch, error.ErrorId);
        Assert.Empty(_images.List());
        Assert.Equal(0, Count(_layout.SnapshotsFolder));
    }

    [Fact]
    public void Concurrent_imports_of_one_image_both_succeed_and_unpack_it_once()
    {
        string layout = Layout("twice", [TestLayouts.BusyboxLayer(), TestLayouts.Layer([("extra", "x"u8.ToArray(), null)])]);
        var imports = Enumerable.Range(0, 2).Select(_ => Task.Run(() => _images.Import(layout, null, _ => { }, CancellationToken.None))).ToArray();
        Task.WaitAll(imports);
        Assert.Equal(imports[0].Result[0].Id, imports[1].Result[0].Id);
        Assert.Single(_images.List());
        Assert.Equal(2, Count(_layout.SnapshotsFolder));
    }

    [Fact]
    public void A_pull_is_needed_with_Missing_only_while_the_image_is_not_in_the_store()
    {
        Assert.True(_images.NeedsPull("policy:1", PullPolicy.Missing));
        Assert.False(_images.NeedsPull("policy:1", PullPolicy.Never));
        _images.Import(Layout("policy", [TestLayouts.BusyboxLayer()]), null, _ => { }, CancellationToken.None);
        Assert.False(_images.NeedsPull("policy:1", PullPolicy.Missing));
        Assert.True(_images.NeedsPull("policy:1", PullPolicy.Always));
        Assert.Equal(ErrorIds.InvalidImageReference,
            Assert.Throws<ConmanException>(() => _images.NeedsPull("Not/Valid:ref", PullPolicy.Missing)).ErrorId);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
