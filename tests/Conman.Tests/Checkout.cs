namespace Conman.Tests;

/// <summary>The repository the tests were built from: where build.ps1 published the shim, and where pinned files live.</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        string folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Conman.slnx"))) folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("Repository root not found.");
        return folder;
    }
}
