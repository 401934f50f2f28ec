using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Resources;

namespace Conman.Cmdlets;

/// <summary>
/// Lets a size parameter take PowerShell's size literals (64MB arrives as a number) and Docker's
/// strings ("64m", "1g"): the strings are parsed by the engine's rules, and a bad one fails the
/// binding with the engine's message. "-1", which -MemorySwap and -LogMaxSize take for "no limit",
/// arrives as a string when typed as an argument (-LogMaxSize -1), and is -1.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ByteSizeTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string text) return value;
        if (text.Trim() == "-1") return -1L;
        try
        {
            return ByteSize.Parse(text, "a size");
        }
        catch (ConmanException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
