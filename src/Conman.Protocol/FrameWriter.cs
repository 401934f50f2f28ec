using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>Encodes frames for the attach socket: a varint length, then the message.</summary>
public static class FrameWriter
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

    /// <summary>
    /// Encodes an output frame straight from the read buffer, without building a message: this is
    /// the shim's hot path (field 4 = stdout, 5 = stderr, both length-delimited bytes).
    /// </summary>
    public static byte[] EncodeOutput(bool stderr, ReadOnlySpan<byte> data)
    {
        uint tag = WireFormat.MakeTag(stderr ? ShimFrame.StderrFieldNumber : ShimFrame.StdoutFieldNumber, WireFormat.WireType.LengthDelimited);
        int body = CodedOutputStream.ComputeRawVarint32Size(tag) + CodedOutputStream.ComputeLengthSize(data.Length) + data.Length;
        var bytes = new byte[CodedOutputStream.ComputeLengthSize(body) + body];
        var output = new CodedOutputStream(bytes);
        output.WriteLength(body);
        output.WriteTag(tag);
        output.WriteLength(data.Length);
        output.Flush();
        data.CopyTo(bytes.AsSpan(bytes.Length - data.Length));
        return bytes;
    }
}
