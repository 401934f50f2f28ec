using Conman.Engine;
using Conman.Engine.Images;
using Conman.Native;

namespace Conman.Tests;

/// <summary>What an import reads is bounded: no file read without end, no open that blocks past Ctrl+C, a full disk said plainly.</summary>
public sealed class ImportBoundsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-bounds").FullName;

    private ImageManager Images(string root) => new(new StoreLayout(root));

    private string Layout(string name, params byte[][] layers)
    {
        string folder = Path.Combine(_work, name);
        TestLayouts.Write(folder, name + ":1", layers.Length == 0 ? [TestLayouts.BusyboxLayer()] : layers);
        return folder;
    }

    [Fact]
    public void An_index_json_linked_to_a_device_is_refused_not_read_without_end()
    {
        string layout = Layout("zero");
        File.Delete(Path.Combine(layout, "index.json"));
        File.CreateSymbolicLink(Path.Combine(layout, "index.json"), "/dev/zero");
        var error = Assert.Throws<ConmanException>(() => Images(Path.Combine(_work, "root")).Import(layout, null, _ => { }, CancellationToken.None));
        Assert.Equal(ErrorIds.InvalidImageArchive, error.ErrorId);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public unsafe void A_blob_that_is_a_FIFO_is_refused_without_waiting_for_a_writer()
    {
        string layout = Layout("fifo");
        var blobs = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256"));
        foreach (string blob in blobs)
        {
            File.Delete(blob);
            Assert.Equal(0, LibC.mknod(blob, LibC.S_IFIFO | 0x180, 0));
        }
        var import = Task.Run(() => Images(Path.Combine(_work, "root")).Import(layout, null, _ => { }, CancellationToken.None));
        try
        {
            Assert.True(((IAsyncResult)import).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the import waits on the FIFO");
            var error = Assert.IsType<ConmanException>(import.Exception?.InnerException);
            Assert.Equal(ErrorIds.InvalidImageArchive, error.ErrorId);
        }
        finally
        {
            // Lets an import blocked in open(2) go, so that the test ends either way.
            foreach (string blob in blobs)
            {
                int fd = LibC.open(blob, LibC.O_WRONLY | LibC.O_NONBLOCK, 0);
                if (fd >= 0) LibC.close(fd);
            }
        }
    }

    [Fact]
    public void A_full_file_system_is_a_clear_error_and_leaves_no_image()
    {
        string root = Path.Combine(_work, "small");
        Directory.CreateDirectory(root);
        Assert.Equal(0, LibC.mount("tmpfs", root, "tmpfs", 0, "size=2m,mode=0700"));
        try
        {
            // Random bytes: gzip cannot make them smaller than the file system.
            byte[] noise = new byte[4 << 20];
            new Random(3).NextBytes(noise);
            string layout = Layout("large", TestLayouts.Layer([("noise", noise, null)]));
            var images = Images(root);
            var error = Assert.Throws<ConmanException>(() => images.Import(layout, null, _ => { }, CancellationToken.None));
            Assert.Equal((ErrorIds.ImageStoreFull, ConmanErrorKind.ResourceUnavailable), (error.ErrorId, error.Kind));
            Assert.Empty(images.List());
        }
        finally
        {
            LibC.umount2(root, LibC.MNT_DETACH);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
