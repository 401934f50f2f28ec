namespace Conman.Engine.Shim;

/// <summary>
/// A line of container output and the stream it came on; or, for stdout read as bytes
/// (-AsByteStream), a chunk of it as it came, in <see cref="Bytes"/>.
/// </summary>
public readonly record struct OutputLine(bool IsStderr, string Text, byte[]? Bytes = null);
