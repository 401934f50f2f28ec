using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the names of the images under $env:CONMAN_ROOT, as Docker shows them.</summary>
public sealed class ImageNameCompleter : StoreNameCompleter
{
    protected override IEnumerable<string> Names() =>
        ImageManager.FromEnvironment().Names().Select(ImageReference.Familiar);
}
