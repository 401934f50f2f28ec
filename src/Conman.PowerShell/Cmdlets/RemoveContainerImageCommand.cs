using System.Management.Automation;

namespace Conman.Cmdlets;

[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Name")]
[OutputType(typeof(ContainerImage))]
public sealed class RemoveContainerImageCommand : ContainerCmdlet
{
    /// <summary>A name ("alpine", "registry:5000/app:1") removes that name; an id removes the image.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [RefuseObjects("container image", typeof(Container), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>Remove every image no container was made from, and the build cache (docker image prune -a, builder prune).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Unused")]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused: only images with no name and the build cache (docker image prune).</summary>
    [Parameter(ParameterSetName = "Unused")]
    public SwitchParameter Dangling { get; set; }

    /// <summary>
    /// Remove the image even when containers were made from it (they keep their layers); with
    /// -Unused, remove without asking first (docker image prune -f).
    /// </summary>
    [Parameter(ParameterSetName = "Name")]
    [Parameter(ParameterSetName = "InputObject")]
    [Parameter(ParameterSetName = "Unused")]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Unused")
        {
            RemoveUnused();
            return;
        }
        var references = ParameterSetName == "Name" ? Name : InputObject.Select(i => i.Reference).ToArray();
        foreach (string reference in references)
        {
            if (!ShouldProcess(reference, "Remove container image")) continue;
            Try(() =>
            {
                var (image, _) = Engine.Images.Remove(reference, Force);
                if (PassThru) WriteObject(ContainerImage.From(image), enumerateCollection: true);
            });
        }
    }

    /// <summary>Each unused image asked about (-WhatIf, -Confirm) by its name, or "build step" and its short id.</summary>
    private void RemoveUnused() => Try(() =>
    {
        var chosen = Engine.Images.Unused(Dangling).Select(u => (Unused: u, Shown: u.BuildStep ? $"build step {u.Image.Id[7..19]}" : u.Image.Names.FirstOrDefault() ?? u.Image.Id[7..19]))
            .Where(u => ShouldProcess(u.Shown, "Remove unused container image")).ToList();
        if (!ConfirmPrune(chosen.Select(u => u.Shown).ToList(), "images", Force)) return;
        var removed = Engine.Images.RemoveUnused(chosen.Select(u => u.Unused).ToList());
        if (PassThru) foreach (var image in removed.Where(r => !r.BuildStep)) WriteObject(ContainerImage.From(image.Image), enumerateCollection: true);
    });
}
