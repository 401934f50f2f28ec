using Conman.Engine;
using Conman.Engine.Building;

namespace Conman.Tests;

/// <summary>
/// $NAME substitution in a build's instructions (Building/BuildVariables.cs), against BuildKit's
/// shell lexer (frontend/dockerfile/shell/lex.go), which Docker's reference documents
/// ("Environment replacement"). Which values a stage has (its ARGs, -BuildArg over their
/// defaults, its ENV over both) is the builder's (ImageBuilder.Values), tested end to end.
/// </summary>
[Trait("Category", "Unit")]
public class BuildVariablesTests
{
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["NAME"] = "world",
        ["EMPTY"] = "",
        ["DIR"] = "/srv/app",
        ["FLAGS"] = "-O2 -g",
    };

    [Theory]
    [InlineData("$NAME", "world")]
    [InlineData("${NAME}", "world")]
    [InlineData("hello, ${NAME}!", "hello, world!")]
    [InlineData("$NAME.txt", "world.txt")]
    [InlineData("${NAME}_x", "world_x")]
    [InlineData("$NAME$NAME", "worldworld")]
    [InlineData("$DIR/bin:${DIR}/lib", "/srv/app/bin:/srv/app/lib")]
    // A name runs on over letters, digits and "_": $NAME_x is the unset NAME_x.
    [InlineData("$NAME_x", "")]
    // An unset name is empty, as in sh.
    [InlineData("[$UNSET] [${UNSET}]", "[] []")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${NAME:-fallback}", "world")]
    [InlineData("${UNSET:-}", "")]
    [InlineData("${NAME:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${UNSET:+set}", "")]
    // "\$" is a plain "$"; a "$" with no name after it is itself.
    [InlineData("\\$NAME and \\${NAME}", "$NAME and ${NAME}")]
    [InlineData("$", "$")]
    [InlineData("a $ b", "a $ b")]
    [InlineData("costs 5$", "costs 5$")]
    // Differences from BuildKit, as it should expand them:
    [InlineData("${UNSET-fallback} ${NAME+alternative}", "fallback alternative",
        Skip = "BuildKit has ${VAR-word} and ${VAR+word}, where only an unset VAR counts (lex.go processDollar, cases '-' and '+' without ':'); Conman reads 'UNSET-fallback' as a name and gives '' for both (buildah 1.28.2 refuses them: \"Missing ':' in substitution\")")]
    [InlineData("${UNSET:-$NAME}", "world",
        Skip = "BuildKit expands the word of ${VAR:-word} too (lex.go: processStopOn('}')), and buildah 1.28.2 (ENV NESTED=${UNSET:-$A} is the value of A); Conman gives the word as written, '$NAME'")]
    [InlineData("'$NAME' \"$NAME\"", "'$NAME' \"world\"",
        Skip = "Single quotes keep a $ as it is in BuildKit (lex.go processSingleQuote) and buildah 1.28.2 (ENV LIT='$FLAGS' is $FLAGS); Conman expands before the quotes are read, so ENV LIT='$FLAGS' is '-O2 -g'")]
    public void Expands_as_BuildKit_does(string text, string expanded) =>
        Assert.Equal(expanded, BuildVariables.Expand(text, Values));

    [Fact(Skip = "BuildKit stops the build when a ${VAR:?message} or ${VAR?message} is unset (lex.go processDollar, case '?'); buildah 1.28.2 refuses the modifier; Conman expands it to '' and builds on")]
    public void A_required_variable_that_is_unset_stops_the_build_with_its_message()
    {
        var error = Assert.Throws<ConmanException>(() => BuildVariables.Expand("${UNSET:?give UNSET with -BuildArg}", Values));
        Assert.Equal(ErrorIds.InvalidInstruction, error.ErrorId);
        Assert.Contains("give UNSET with -BuildArg", error.Message);
    }

    [Fact(Skip = "The builder expands an ENV or LABEL line, then splits it into pairs (ImageBuilder.Step); BuildKit splits first and expands each value as one word (instructions/commands.go expandKvpsInPlace), as buildah 1.28.2 does (ARG FLAGS=\"-O2 -g\" then ENV CFLAGS=$FLAGS is '-O2 -g'); Conman refuses it: '-g' is not KEY=VALUE")]
    public void A_value_with_blanks_stays_one_value_once_expanded() =>
        Assert.Equal([("CFLAGS", "-O2 -g")], InstructionArguments.Pairs(BuildVariables.Expand("CFLAGS=$FLAGS", Values), legacy: true, "ENV (line 3)"));
}
