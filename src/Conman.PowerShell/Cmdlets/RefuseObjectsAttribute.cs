using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Keeps objects of another kind from binding to a name parameter by their string form when given
/// to it (Stop-Container -Name $image): it would otherwise stop a container named like the image,
/// and a Container given to Remove-ContainerImage remove an image named like the container. Such
/// an object is refused with a message that says where it belongs; anything else binds as before.
/// From the pipeline too: on a name parameter that takes pipeline input by value, PowerShell tries
/// it (and so this) before it binds the object's Name or Id by property name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RefuseObjectsAttribute(string instead, params Type[] refusedKinds) : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var items = Unwrap(inputData) is System.Collections.IList list ? list.Cast<object?>().Select(Unwrap) : [Unwrap(inputData)];
        if (items.FirstOrDefault(item => refusedKinds.Any(kind => kind.IsInstanceOfType(item))) is { } wrong)
        {
            throw new ArgumentTransformationMetadataException($"A {wrong.GetType().Name} does not name a {instead}.");
        }
        return inputData;
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
