using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Images;

namespace Conman.Tests;

/// <summary>
/// An image record that cannot be read (truncated, empty, random, or not what the store wrote):
/// listed with the reason beside the others, never breaking them, removable, repaired by an import.
/// </summary>
public sealed class DamagedImageRecordTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-damaged").FullName;
    private readonly StoreLayout _layout;
    private readonly ContainerEngine _engine;

    public DamagedImageRecordTests()
    {
        _layout = new StoreLayout(Path.Combine(_work, "root"));
        _engine = new ContainerEngine(_layout);
    }

    private string Import(string name)
    {
        string folder = Path.Combine(_work, name);
        if (!Directory.Exists(folder)) TestLayouts.Write(folder, name + ":1", [TestLayouts.BusyboxLayer(), TestLayouts.Layer([(name, "x"u8.ToArray(), null)])]);
        return Assert.Single(_engine.Images.Import(folder, null, _ => { }, CancellationToken.None)).Id;
    }

    public static TheoryData<string> Damages => ["empty", "truncated", "random", "flipped", "another image's"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_image_record_is_listed_with_the_reason_and_the_other_images_work(string damage)
    {
        string brokenId = Import("broken");
        string fineId = Import("fine");
        string record = _layout.ImageRecordPath(Digest.Parse(brokenId).Hex);
        byte[] bytes = File.ReadAllBytes(record);
        File.WriteAllBytes(record, damage switch
        {
            "empty" => [],
            "truncated" => bytes[..(bytes.Length / 2)],
            "random" => new Random(7).GetItems(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 300),
            "flipped" => bytes.Select((b, i) => i == 1 ? (byte)(b ^ 0x40) : b).ToArray(),
            _ => File.ReadAllBytes(_layout.ImageRecordPath(Digest.Parse(fineId).Hex)),
        });

        var listed = _engine.Images.List();
        Assert.Equal(2, listed.Count);
        var shown = listed.Single(i => i.Id == brokenId);
        Assert.Equal((ImageStore.UnreadableReason, 0), (shown.Problem, shown.Names.Count));
        Assert.Null(listed.Single(i => i.Id == fineId).Problem);
        Assert.Equal(brokenId, _engine.Images.Get(Digest.Parse(brokenId).Hex[..12]).Id);
        Assert.Contains("docker.io/library/fine:1", _engine.Images.Names());

        var error = Assert.Throws<ConmanException>(() => _engine.Containers.Create(new ContainerOptions { Image = brokenId, Process = new() { Command = ["true"] } }));
        Assert.Equal(ErrorIds.ImageRecordUnreadable, error.ErrorId);
        var made = _engine.Containers.Create(new ContainerOptions { Image = "fine:1", Process = new() { Command = ["true"] } });
        Assert.Equal(fineId, made.Config.ImageId);
        _engine.Containers.Remove(made.Id, force: false);

        // Importing the image again repairs its record; removing it is always possible.
        Assert.Equal(brokenId, Import("broken"));
        Assert.All(_engine.Images.List(), i => Assert.Null(i.Problem));
        File.WriteAllBytes(record, []);
        Assert.True(_engine.Images.Remove(Digest.Parse(brokenId).Hex[..12], force: true).Deleted);
        Assert.Equal(fineId, Assert.Single(_engine.Images.List()).Id);
    }

    public void Dispose()
    {
        foreach (var container in _engine.Containers.List()) _engine.Containers.Remove(container.Id, force: true);
        Directory.Delete(_work, recursive: true);
        if (Directory.Exists(_layout.RunFolder)) Directory.Delete(_layout.RunFolder, recursive: true);
    }
}
