namespace Conman.Attach;

/// <summary>A line of container output and the stream it came on.</summary>
internal readonly record struct OutputLine(bool IsStderr, string Text);
