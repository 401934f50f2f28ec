using System.IO.Compression;
using System.Security.Cryptography;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;

namespace Conman.Engine.Images;

/// <summary>
/// Writes an unpacked layer's tar again, byte for byte, from its snapshot and the recording made
/// while it was unpacked (<see cref="TarSplitRecorder"/>): its diff id, and so the image's config
/// and id, stay what they were. What comes out is checked against the diff id; a snapshot that
/// changed is an error, never a different layer under the old name.
/// </summary>
internal static class LayerTarRebuilder
{
    /// <summary>
    /// Writes the layer as a blob at <paramref name="path"/> (a new file), gzip-compressed or not;
    /// returns the blob's digest and size.
    /// </summary>
    /// <param name="progress">Called with the bytes of the uncompressed tar written so far.</param>
    public static (Digest Digest, long Size) WriteBlob(SnapshotStore snapshots, Digest chainId, Digest diffId, string path, bool compress,
        Action<long> progress, CancellationToken cancel)
    {
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = FileModes.OwnerOnly,
            BufferSize = 1 << 16,
        });
        using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var blob = new HashingWriteStream(file, blobHash);
        // Fastest: a push or an export is bound by compression at Docker's default level, and
        // the blob is checked by its digest either way.
        Stream tar = compress ? new GZipStream(blob, CompressionLevel.Fastest, leaveOpen: true) : blob;
        Write(snapshots, chainId, diffId, tar, progress, cancel);
        if (compress) tar.Dispose();
        file.Flush(flushToDisk: true);
        return (Digest.FromHash(blobHash.GetHashAndReset()), file.Length);
    }

    /// <summary>Writes the layer's uncompressed tar to <paramref name="destination"/>.</summary>
    public static void Write(SnapshotStore snapshots, Digest chainId, Digest diffId, Stream destination, Action<long> progress, CancellationToken cancel)
    {
        string recording = snapshots.TarSplitOf(chainId);
        if (!File.Exists(recording)) throw ConmanErrors.LayerNotReproducible(diffId.ToString(), "it was unpacked without a record of its tar (by an earlier Conman, or it rewrote its own entries)");
        string tree = snapshots.TreeOf(chainId.Hex);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var output = new HashingWriteStream(destination, hash);
        using (var compressed = new GZipStream(File.OpenRead(recording), CompressionMode.Decompress))
        {
            var input = new CodedInputStream(compressed, leaveOpen: false);
            var buffer = new byte[1 << 20];
            long written = 0;
            while (!input.IsAtEnd)
            {
                cancel.ThrowIfCancellationRequested();
                var segment = new LayerTarSegment();
                input.ReadMessage(segment);
                if (segment.FilePath.Length == 0)
                {
                    segment.Raw.WriteTo(output);
                    written += segment.Raw.Length;
                }
                else
                {
                    written += CopyFile(tree, segment.FilePath, segment.FileSize, output, buffer, diffId);
                }
                progress(written);
            }
        }
        output.Flush();
        var actual = Digest.FromHash(hash.GetHashAndReset());
        if (actual != diffId) throw ConmanErrors.LayerNotReproducible(diffId.ToString(), $"its files changed since it was unpacked (the tar written hashes to {actual})");
    }

    private static long CopyFile(string tree, string relative, long size, Stream output, byte[] buffer, Digest diffId)
    {
        // The path came from the unpacker, which made every folder on it a real one; the last
        // component is still not followed, should anything have changed.
        if (relative.StartsWith('/') || relative.Split('/').Contains("..")) throw ConmanErrors.LayerNotReproducible(diffId.ToString(), $"its record names '{relative}'");
        int fd = LibC.open(Path.Combine(tree, relative), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw ConmanErrors.LayerNotReproducible(diffId.ToString(), $"its file '{relative}' cannot be opened (errno {LibC.Errno})");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        using var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        long left = size;
        while (left > 0)
        {
            int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw ConmanErrors.LayerNotReproducible(diffId.ToString(), $"its file '{relative}' is shorter than it was");
            output.Write(buffer, 0, read);
            left -= read;
        }
        return size;
    }

    /// <summary>A write-only stream that hashes what passes through it.</summary>
    private sealed class HashingWriteStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
