using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

[Cmdlet(VerbsCommon.Get, "ContainerImage")]
[OutputType(typeof(ContainerImage))]
public sealed class GetContainerImageCommand : ContainerCmdlet
{
    /// <summary>Matched, with wildcards, against "repository:tag" in full and as Docker shows it, the repository alone, and the id.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [RefuseObjects("container image", typeof(Container), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var images = Engine.Images.List().SelectMany(ContainerImage.From).ToList();
        if (Name is null)
        {
            WriteObject(images, enumerateCollection: true);
            return;
        }
        foreach (string name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = images.Where(i => Keys(i).Any(pattern.IsMatch)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                // An exact name may also be a reference in another spelling ("busybox" for busybox:latest).
                try
                {
                    var record = Engine.Images.Get(name);
                    matches = ContainerImage.From(record).ToList();
                }
                catch (ConmanException e)
                {
                    WriteError(ToErrorRecord(e));
                    continue;
                }
            }
            WriteObject(matches, enumerateCollection: true);
        }
    }

    private static IEnumerable<string> Keys(ContainerImage image) =>
    [
        image.Reference, ImageReference.Familiar(image.Reference), image.Name, ImageReference.Familiar(image.Name), image.Id, image.ShortId,
    ];
}
