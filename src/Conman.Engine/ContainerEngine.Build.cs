using Conman.Engine.Building;
using Conman.Engine.Images;

namespace Conman.Engine;

/// <summary>Images built from Containerfiles (docker build).</summary>
public sealed partial class ContainerEngine
{
    /// <summary>Builds the Containerfile, tags the result with the options' tags, and returns it (see <see cref="ImageBuilder"/>).</summary>
    public ImageSnapshot Build(BuildOptions options, Action<BuildEvent> report, CancellationToken cancel = default)
    {
        if (options.Context.Contains('\0')) throw ConmanErrors.InvalidHostPath("The build context", options.Context);
        if (options.File?.Contains('\0') == true) throw ConmanErrors.InvalidHostPath("The Containerfile", options.File);
        foreach (string tag in options.Tags) ImageReference.Parse(tag);
        var image = new ImageBuilder(this, options, report, cancel).Build();
        ImageSnapshot result = ImageSnapshot.From(image);
        foreach (string tag in options.Tags) result = Images.Tag(image.Id, tag);
        return result;
    }
}
