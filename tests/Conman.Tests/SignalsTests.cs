using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>Signal names and numbers, as kill(1) and docker kill take them.</summary>
[Trait("Category", "Unit")]
public class SignalsTests
{
    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("9", 9)]
    [InlineData("HUP", 1)]
    [InlineData("64", 64)]
    public void Signals_parse_by_name_or_number(string text, int expected) => Assert.Equal(expected, Signals.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("SIGNOPE")]
    [InlineData("-9")]
    [InlineData("")]
    public void Invalid_signals_are_refused(string text)
    {
        var e = Assert.Throws<ConmanException>(() => Signals.Parse(text));
        Assert.Equal(ErrorIds.InvalidSignal, e.ErrorId);
        Assert.Equal(ConmanErrorKind.InvalidArgument, e.Kind);
    }
}
