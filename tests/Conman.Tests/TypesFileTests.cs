using System.Xml.Linq;
using Conman.Engine;

namespace Conman.Tests;

/// <summary>
/// Conman.types.ps1xml turns every public enum back into itself after serialization (Export-Clixml,
/// jobs, remoting), where it would otherwise be a number: an enum added to the engine or the module
/// without its entry fails here, not in a user's Where-Object.
/// </summary>
[Trait("Category", "Unit")]
public class TypesFileTests
{
    [Fact]
    public void Every_public_enum_is_turned_back_into_itself_after_deserialization()
    {
        var types = XDocument.Load(Path.Combine(Checkout.Root, "src", "Conman.PowerShell", "Conman.types.ps1xml")).Root!.Elements("Type");
        var rehydrated = types
            .Select(t => (Name: (string)t.Element("Name")!, Target: t.Descendants("NoteProperty").FirstOrDefault(n => (string?)n.Element("Name") == "TargetTypeForDeserialization")))
            .Where(t => t.Target is not null)
            .ToDictionary(t => t.Name, t => (string)t.Target!.Element("Value")!);
        var enums = new[] { typeof(ContainerEngine).Assembly, typeof(Conman.Cmdlets.NewContainerCommand).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Where(t => t.IsEnum).Select(t => t.FullName!).Order().ToList();

        Assert.NotEmpty(enums);
        Assert.All(enums, name => Assert.Equal(name, rehydrated.GetValueOrDefault("Deserialized." + name)));
    }
}
