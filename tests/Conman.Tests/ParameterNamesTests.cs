using Conman.Cmdlets;

namespace Conman.Tests;

/// <summary>Which parameter a mistyped one is taken to mean, in the error for a command that starts with it.</summary>
[Trait("Category", "Unit")]
public class ParameterNamesTests
{
    private static readonly string[] Names = ["Name", "Environment", "Network", "NetworkAlias", "Device", "Volume", "Publish", "PublishAll", "WorkingDirectory"];

    [Theory]
    [InlineData("Nmae", "Name")]
    [InlineData("Enviroment", "Environment")]
    [InlineData("environment", "Environment")]
    [InlineData("Volumes", "Volume")]
    [InlineData("Publsh", "Publish")]
    public void Names_the_parameter_a_typo_meant(string typed, string meant) => Assert.Equal(meant, ParameterNames.Closest(typed, Names));

    [Theory]
    [InlineData("AddHost")]
    [InlineData("Mount")]
    [InlineData("x")]
    public void Names_none_for_a_flag_that_is_not_close_to_any(string typed) => Assert.Null(ParameterNames.Closest(typed, Names));
}
