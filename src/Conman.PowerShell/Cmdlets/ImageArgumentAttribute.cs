using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Lets an image parameter take a ContainerImage object (Get-ContainerImage's output) as well as a
/// name or id: the object stands for its reference (its name, or its id when it has none), which
/// is what the container then shows as its Image. A Container is refused rather than bound by its
/// string form.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ImageArgumentAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null or string => value,
            ContainerImage image => image.Reference,
            Container => throw new ArgumentTransformationMetadataException(
                "A Container does not name an image: its Image property does."),
            _ => inputData,
        };
    }
}
