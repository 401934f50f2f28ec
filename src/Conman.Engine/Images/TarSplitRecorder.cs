using System.IO.Compression;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Engine.Images;

/// <summary>
/// Records, while a layer is unpacked, what it takes to write the layer's tar again byte for
/// byte: every byte the tar reader reads goes here; bytes read while a regular file's content is
/// copied into the snapshot are kept as a reference to that file, the rest (headers, padding, end
/// blocks) as they are. See <see cref="LayerTarSegment"/>. A layer that overwrites or removes an
/// entry it wrote itself leaves a reference without its content, so its recording is dropped
/// (<see cref="Complete"/> false): such a layer cannot be written out again.
/// </summary>
internal sealed class TarSplitRecorder : IDisposable
{
    private const int MaxRawSegment = 1 << 20;

    private readonly string _path;
    private readonly FileStream _file;
    private readonly GZipStream _compressed;
    private readonly CodedOutputStream _output;
    private readonly MemoryStream _raw = new();
    private string? _contentOf;
    private long _contentBytes;
    private bool _disposed;

    public TarSplitRecorder(string path)
    {
        _path = path;
        _file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Native.FileModes.OwnerOnly });
        _compressed = new GZipStream(_file, CompressionLevel.Fastest);
        _output = new CodedOutputStream(_compressed, leaveOpen: true);
    }

    public bool Complete { get; private set; } = true;

    /// <summary>Every byte of the uncompressed tar, in order.</summary>
    public void Observe(ReadOnlySpan<byte> bytes)
    {
        if (_contentOf is not null)
        {
            _contentBytes += bytes.Length;
            return;
        }
        _raw.Write(bytes);
        if (_raw.Length >= MaxRawSegment) FlushRaw();
    }

    /// <summary>The bytes read from now on are the content of the file at <paramref name="relativePath"/> in the snapshot.</summary>
    public void BeginFile(string relativePath)
    {
        FlushRaw();
        _contentOf = relativePath;
        _contentBytes = 0;
    }

    public void EndFile(long size)
    {
        if (_contentBytes == size) _output.WriteMessage(new LayerTarSegment { FilePath = _contentOf, FileSize = size });
        else Complete = false;
        _contentOf = null;
    }

    /// <summary>An entry the layer wrote was removed or replaced: what refers to it no longer holds.</summary>
    public void EntryReplaced() => Complete = false;

    /// <summary>Writes the recording out (fsynced), or deletes it when it is not complete.</summary>
    public void Finish()
    {
        FlushRaw();
        _output.Flush();
        _compressed.Flush();
        _file.Flush(flushToDisk: true);
        Dispose();
        if (!Complete) File.Delete(_path);
    }

    private void FlushRaw()
    {
        if (_raw.Length == 0) return;
        _output.WriteMessage(new LayerTarSegment { Raw = ByteString.CopyFrom(_raw.GetBuffer(), 0, (int)_raw.Length) });
        _raw.SetLength(0);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _output.Dispose();
        _compressed.Dispose();
        _file.Dispose();
    }
}
