using Conman.Engine.Images;

namespace Conman.Engine;

// The errors of registries: credentials, the distribution API, pushes.

public static partial class ErrorIds
{
    public const string InvalidAuthFile = nameof(InvalidAuthFile);
    public const string RegistryUnreachable = nameof(RegistryUnreachable);
    public const string RegistryError = nameof(RegistryError);
    public const string ImageNotFoundInRegistry = nameof(ImageNotFoundInRegistry);
    public const string ManifestTooLarge = nameof(ManifestTooLarge);
    public const string AuthenticationRequired = nameof(AuthenticationRequired);
    public const string AuthenticationUnsupported = nameof(AuthenticationUnsupported);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);
    public const string InvalidRegistry = nameof(InvalidRegistry);
    public const string NotLoggedIn = nameof(NotLoggedIn);
    public const string CredentialHelperFailed = nameof(CredentialHelperFailed);
    public const string PushDestinationRequired = nameof(PushDestinationRequired);
}

public static partial class ConmanErrors
{
    internal static ConmanException InvalidAuthFile(string path, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidAuthFile, $"The registry credentials file '{path}' is not valid: {why}", path);

    internal static ConmanException InvalidAuthEntry(string key, string path) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidAuthFile, $"The entry for '{key}' in '{path}' is not base64 of \"user:password\".", path);

    internal static ConmanException RegistryUnreachable(ImageReference reference, HttpRequestException e) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RegistryUnreachable, $"Cannot reach the registry {reference.Registry}: {e.Message}", reference.ToString(), e);

    internal static ConmanException RegistryError(ImageReference reference, int status, string? reason, string path, string detail) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.RegistryError,
            $"The registry {reference.Registry} answered {status} {reason} for the image {reference} ({path}){detail}.", reference.ToString());

    internal static ConmanException ImageNotFoundInRegistry(ImageReference reference, string path, string detail) =>
        new(ConmanErrorKind.NotFound, ErrorIds.ImageNotFoundInRegistry,
            $"The registry {reference.Registry} has no '{path}' in the repository {reference.Repository}{detail}.", reference.ToString());

    internal static ConmanException ManifestTooLarge(ImageReference reference, string tagOrDigest, long limit) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.ManifestTooLarge, $"The manifest {tagOrDigest} is larger than {limit} bytes.", reference.ToString());

    internal static ConmanException AuthenticationRequired(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired,
            $"The registry {reference.Registry} requires credentials for {reference.Repository}.", reference.ToString());

    internal static ConmanException AuthenticationUndescribed(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired,
            $"The registry {reference.Registry} asks for authentication but says not how.", reference.ToString());

    internal static ConmanException NoTokenService(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationRequired, $"The registry {reference.Registry} gave no usable token service.", reference.ToString());

    internal static ConmanException AuthenticationUnsupported(ImageReference reference, string scheme) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationUnsupported,
            $"The registry {reference.Registry} asks for {scheme} authentication, which Conman does not speak.", reference.ToString());

    internal static ConmanException CredentialsRefused(ImageReference reference, string user) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The token service of {reference.Registry} refused the credentials of '{user}'.", reference.ToString());

    internal static ConmanException TokenServiceFailed(ImageReference reference, int status) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed, $"The token service of {reference.Registry} answered {status}.", reference.ToString());

    internal static ConmanException NoToken(ImageReference reference) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed, $"The token service of {reference.Registry} gave no token.", reference.ToString());

    /// <param name="user">The user whose credentials were refused; null when none were sent.</param>
    internal static ConmanException AccessRefused(ImageReference reference, string? user, string detail) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The registry {reference.Registry} refused access to {reference.Repository}{(user is null ? "" : $" for '{user}'")}{detail}.", reference.ToString());

    internal static ConmanException TokenResponseTooLarge(ImageReference reference, int limit) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.AuthenticationFailed,
            $"The token service of {reference.Registry} sent more than {limit} bytes where a token belongs; it was refused.", reference.ToString());

    internal static ConmanException InvalidRegistry(string registry) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidRegistry,
            $"'{registry}' is not a registry: give its host, with a port if it has one ('quay.io', 'localhost:5000', 'docker.io').", registry);

    internal static ConmanException NotLoggedIn(string registry, string authFile) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NotLoggedIn, $"There is no login for {registry} in '{authFile}'.", registry);

    internal static ConmanException CredentialHelperFailed(string helper, string verb, string registry, string message) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.CredentialHelperFailed,
            $"The credential helper docker-credential-{helper} failed to {verb}{(registry.Length > 0 ? $" the credential of {registry}" : "")}: {message}", helper);

    internal static ConmanException PushDestinationRequired(string reference) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.PushDestinationRequired,
            $"'{reference}' is not one of the image's names, so it says no registry to push to: name the destination, as registry/repository:tag.", reference);
}
