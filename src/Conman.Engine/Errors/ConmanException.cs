namespace Conman.Engine;

/// <summary>What kind of failure: the cmdlets map it to a PowerShell ErrorCategory.</summary>
public enum ConmanErrorKind
{
    NotFound,
    InvalidArgument,
    AlreadyExists,
    InvalidState,
    RuntimeFailed,
    PermissionDenied,
    ResourceUnavailable,
    Timeout,
}

/// <summary>
/// A failure the user can act on. <see cref="ErrorId"/> becomes the FullyQualifiedErrorId;
/// <see cref="Target"/> is the container (or name, or path) it is about.
/// </summary>
public sealed class ConmanException(ConmanErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ConmanErrorKind Kind { get; } = kind;
    public string ErrorId { get; } = errorId;
    public object? Target { get; } = target;
}
