using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>Container names and ids: Docker's rules.</summary>
[Trait("Category", "Unit")]
public class ContainerNameTests
{
    [Theory]
    [InlineData("web", true)]
    [InlineData("a", true)]
    [InlineData("Web_1.test-2", true)]
    [InlineData("-web", false)]
    [InlineData(".hidden", false)]
    [InlineData("has space", false)]
    [InlineData("slash/name", false)]
    [InlineData("", false)]
    public void Container_names_follow_Dockers_rule(string name, bool valid) => Assert.Equal(valid, ContainerName.IsValid(name));

    [Fact]
    public void Container_names_are_at_most_128_characters()
    {
        Assert.True(ContainerName.IsValid(new string('a', 128)));
        Assert.False(ContainerName.IsValid(new string('a', 129)));
    }

    [Fact]
    public void Generated_names_are_valid_and_ids_are_64_hex() 
    {
        Assert.True(ContainerName.IsValid(ContainerName.Generate()));
        Assert.Matches("^[0-9a-f]{64}$", ContainerName.NewId());
    }
}
