using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>How a run ended, as its shim tells an attached client.</summary>
/// <param name="ExitCode">exit N gives N; death by signal S gives 128+S.</param>
/// <param name="Restarting">Its restart policy runs it again: the container is still Running.</param>
public sealed record ExitStatus(int ExitCode, bool Restarting = false)
{
    internal static ExitStatus From(ExitRecord exit) => new(exit.ExitCode, exit.Restarting);
}

/// <summary>What an attached client receives: a chunk of output, or the run's end (the last, unless a restart follows).</summary>
public enum AttachEventKind
{
    Stdout,
    Stderr,
    Exit,
}

/// <summary>One thing an attached client received from the container's shim.</summary>
/// <param name="Data">The output, for <see cref="AttachEventKind.Stdout"/> and <see cref="AttachEventKind.Stderr"/>.</param>
/// <param name="Exit">How the run ended, for <see cref="AttachEventKind.Exit"/>.</param>
public readonly record struct AttachEvent(AttachEventKind Kind, ReadOnlyMemory<byte> Data = default, ExitStatus? Exit = null)
{
    /// <summary>The event a frame is to a client; null for the shim's answers to requests, which are the engine's own.</summary>
    internal static AttachEvent? From(ShimFrame frame) => frame.KindCase switch
    {
        ShimFrame.KindOneofCase.Stdout => new(AttachEventKind.Stdout, frame.Stdout.Memory),
        ShimFrame.KindOneofCase.Stderr => new(AttachEventKind.Stderr, frame.Stderr.Memory),
        ShimFrame.KindOneofCase.Exit => new(AttachEventKind.Exit, Exit: ExitStatus.From(frame.Exit)),
        _ => null,
    };
}
