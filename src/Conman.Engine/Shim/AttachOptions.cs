using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>Which of a container's streams an attached client takes (docker attach -a, docker run -i): its output by default.</summary>
public sealed record AttachOptions(bool Stdin = false, bool Stdout = true, bool Stderr = true)
{
    /// <summary>Stdin, stdout and stderr: an interactive client's.</summary>
    public static AttachOptions All { get; } = new(Stdin: true);

    internal AttachRequest ToRequest() => new() { Stdin = Stdin, Stdout = Stdout, Stderr = Stderr };
}
