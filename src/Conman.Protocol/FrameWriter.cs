using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>Encodes frames for the attach socket: a varint length, then the message.</summary>
internal static class FrameWriter
{
    public static byte[] Encode(ShimFrame frame) => EncodeMessage(frame);

    /// <summary>Any message, varint-length-delimited (the shim's ShimReady uses this too).</summary>
    public static byte[] EncodeMessage(IMessage message)
    {
        int size = message.CalculateSize();
        var bytes = new byte[CodedOutputStream.ComputeLengthSize(size) + size];
        var output = new CodedOutputStream(bytes);
        output.WriteLength(size);
        message.WriteTo(output);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>Room enough for any output frame's header.</summary>
    public const int MaxOutputHeaderLength = 16;

    /// <summary>
    /// Writes what goes before an output frame's data (the frame's length, the stdout or stderr
    /// field's tag, the data's length) and returns its length. This is the shim's hot path: it
    /// sends the header and the data from its read buffer together, without building a message
    /// or copying the data (field 4 = stdout, 5 = stderr, both length-delimited bytes).
    /// </summary>
    public static int WriteOutputHeader(bool stderr, int dataLength, Span<byte> destination)
    {
        uint tag = WireFormat.MakeTag(stderr ? ShimFrame.StderrFieldNumber : ShimFrame.StdoutFieldNumber, WireFormat.WireType.LengthDelimited);
        int body = CodedOutputStream.ComputeRawVarint32Size(tag) + CodedOutputStream.ComputeLengthSize(dataLength) + dataLength;
        int written = WriteVarint((uint)body, destination);
        written += WriteVarint(tag, destination[written..]);
        written += WriteVarint((uint)dataLength, destination[written..]);
        return written;
    }

    private static int WriteVarint(uint value, Span<byte> destination)
    {
        int i = 0;
        for (; value >= 0x80; value >>= 7) destination[i++] = (byte)(value | 0x80);
        destination[i++] = (byte)value;
        return i;
    }
}
