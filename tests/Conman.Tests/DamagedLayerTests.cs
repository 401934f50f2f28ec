using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// A layer blob that is whole (its digest matches) but whose compression is damaged or cut short is
/// a clear InvalidLayer error from import and pull alike (both unpack through the snapshot store),
/// never a decompressor's own exception, and leaves no image and no half-made snapshot.
/// </summary>
public sealed class DamagedLayerTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-damaged").FullName;

    public static TheoryData<bool, string> Damages => new()
    {
        { true, "cut" },
        { true, "flipped" },
        { false, "cut" },
        { false, "flipped" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_or_truncated_layer_is_an_InvalidLayer_error(bool zstd, string damage)
    {
        byte[] layer = TestLayouts.Layer([("noise", Noise(), null)]);
        string layout = Path.Combine(_work, "layout");
        TestLayouts.Write(layout, "damaged:1", [layer], zstd: zstd, damage: damage == "cut" ? Cut : Flip);
        var store = new StoreLayout(Path.Combine(_work, "root"));
        var images = new ImageManager(store);

        var error = Assert.Throws<ConmanException>(() => images.Import(layout, null, _ => { }, CancellationToken.None));

        Assert.Equal((ErrorIds.InvalidLayer, ConmanErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains(TestLayouts.DigestOf(layer), error.Message);
        Assert.Empty(images.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.SnapshotsFolder));
    }

    private static byte[] Noise()
    {
        byte[] noise = new byte[256 << 10];
        new Random(19).NextBytes(noise);
        return noise;
    }

    private static byte[] Cut(byte[] blob) => blob[..(blob.Length / 2)];

    /// <summary>Every byte after the magic number: the blob is still told gzip or zstd, but its frame and data are garbage.</summary>
    private static byte[] Flip(byte[] blob)
    {
        byte[] flipped = (byte[])blob.Clone();
        for (int i = 4; i < blob.Length; i++) flipped[i] ^= 0xff;
        return flipped;
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
