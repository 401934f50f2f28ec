namespace Conman.Engine.Images;

/// <summary>An image no container was made from: a prune's candidate.</summary>
/// <param name="BuildStep">A build step's image (the build cache), not listed by Get-ContainerImage.</param>
public sealed record UnusedImage(ImageSnapshot Image, bool BuildStep);
