using Conman.Engine.Building;

namespace Conman.Tests;

/// <summary>
/// What a context's .dockerignore leaves out (Building/DockerIgnore.cs), as Docker's rules say
/// (moby/patternmatcher: ignorefile.ReadAll and MatchesOrParentMatches; the examples of Docker's
/// "Build context" page): patterns anchored at the context's top, Go's filepath.Match with "**",
/// "!" exceptions, the last matching line deciding, a folder taking everything below it.
/// </summary>
[Trait("Category", "Unit")]
public class DockerIgnoreTests
{
    [Theory]
    // A name is anchored at the context's top, and a folder it names takes everything below it.
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "node_modules/left-pad/index.js", true)]
    [InlineData("node_modules", "web/node_modules", false)]
    [InlineData("node_modules", "node_modules2", false)]
    // A leading "/" or "./" and a trailing "/" change nothing ("build/" matches a file named build too).
    [InlineData("/build", "build/out.o", true)]
    [InlineData("./build", "build", true)]
    [InlineData("build/", "build", true)]
    // "*" and "?" stay within one name; Docker's examples.
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/guide.md", false)]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "temp", false)]
    [InlineData("*/*/temp*", "somedir/subdir/temp", true)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "temp", false)]
    [InlineData("temp?", "tempab", false)]
    // "**" is any number of folders, none included.
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "cmd/tool/main.go", true)]
    [InlineData("docs/**", "docs/api/index.html", true)]
    [InlineData("docs/**", "docs", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("**", "any/thing", true)]
    // Character classes, "^" negating one; "\" escapes a character.
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[0-9].txt", "filex.txt", false)]
    [InlineData("file[^0-9].txt", "filex.txt", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    // Comments and blank lines are no patterns; blanks around a pattern are not part of it.
    [InlineData("# secrets\n\n   \n  .env  ", ".env", true)]
    [InlineData("# secrets", "# secrets", false)]
    // "!" makes an exception, and the last line that matches decides (Docker's example).
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README.md", false)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "CHANGES.md", true)]
    [InlineData("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", false)]
    // An exception inside an ignored folder takes its file back ("! " with a blank too).
    [InlineData("docs\n! docs/keep.md", "docs/keep.md", false)]
    [InlineData("docs\n! docs/keep.md", "docs/other.md", true)]
    [InlineData("*\n!src", "src/main.c", false)]
    [InlineData("*\n!src", "Makefile", true)]
    // An exception alone leaves everything in.
    [InlineData("!keep", "keep", false)]
    public void Ignores_what_Dockers_rules_leave_out(string dockerignore, string path, bool ignored) =>
        Assert.Equal(ignored, DockerIgnore.Parse(dockerignore).Ignores(path));

    [Fact]
    public void A_context_without_a_dockerignore_leaves_nothing_out()
    {
        var none = DockerIgnore.Parse(null);
        Assert.False(none.Ignores("anything"));
        Assert.False(none.Ignores(".git/config"));
    }
}
