using Conman.Engine.Building;

namespace Conman.Tests;

/// <summary>
/// What a COPY of a context folder takes (Building/ContextCopier.cs, through BuildStaging): its
/// contents less what .dockerignore leaves out, walked as Docker's context transfer walks it
/// (tonistiigi/fsutil filter.go). Which paths a .dockerignore names is DockerIgnoreTests'.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ContextCopierTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-copier").FullName;
    private readonly string _context;

    public ContextCopierTests()
    {
        _context = Directory.CreateDirectory(Path.Combine(_work, "context")).FullName;
        foreach (string file in new[] { "Makefile", "src/main.c", "src/build.log", "docs/keep.md", "docs/other.md", "node_modules/left-pad/index.js" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_context, file))!);
            File.WriteAllText(Path.Combine(_context, file), file);
        }
    }

    [Fact]
    public void A_copied_folder_leaves_out_the_files_and_folders_dockerignore_names()
    {
        Assert.Equal(["Makefile", "docs/keep.md", "docs/other.md", "src/main.c"], CopyContext("node_modules\n**/*.log\n"));
    }

    [Fact(Skip = "Docker walks into an ignored folder when an exception names something inside it (fsutil filter.go: an exclusion pattern that starts with the folder's path), so 'docs' then '!docs/keep.md' sends docs/keep.md; Conman skips the ignored folder whole (ContextCopier.CopyContents)")]
    public void An_exception_inside_an_ignored_folder_is_copied() =>
        Assert.Equal(["Makefile", "docs/keep.md", "node_modules/left-pad/index.js", "src/build.log", "src/main.c"], CopyContext("docs\n!docs/keep.md\n"));

    /// <summary>COPY . /app with this .dockerignore: the staged files, by their path.</summary>
    private List<string> CopyContext(string dockerignore)
    {
        using var context = BuildContext.Open(_context);
        using var staging = BuildStaging.Create(Path.Combine(_work, "staging-" + Guid.NewGuid().ToString("N")));
        staging.AddFromContext(context, DockerIgnore.Parse(dockerignore), ["."], true, false, "COPY (line 2)", CancellationToken.None);
        return Directory.EnumerateFiles(staging.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(staging.Folder, f)).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
