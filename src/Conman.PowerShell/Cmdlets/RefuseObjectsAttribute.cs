using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Keeps objects of the other kind from binding to a name parameter by their string form: a
/// ContainerImage piped to Stop-Container would otherwise stop a container named like the image,
/// and a Container piped to Remove-ContainerImage remove an image named like the container. Such
/// an object is refused with a message that says where it belongs; anything else binds as before
/// (a cmdlet's own kind, to its -InputObject).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RefuseObjectsAttribute(Type refused, string instead) : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var items = Unwrap(inputData) is System.Collections.IList list ? list.Cast<object?>().Select(Unwrap) : [Unwrap(inputData)];
        if (items.FirstOrDefault(refused.IsInstanceOfType) is { } wrong)
        {
            throw new ArgumentTransformationMetadataException($"A {wrong.GetType().Name} does not name a {instead}.");
        }
        return inputData;
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
