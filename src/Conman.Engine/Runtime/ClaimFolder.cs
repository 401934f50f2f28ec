using Conman.Engine.Containers;
using Conman.Native;

namespace Conman.Engine.Runtime;

/// <summary>
/// Claims on something every store on the host shares (a subnet, a range of host ids): one file
/// per claim in a root-only folder, changed under the folder's lock, whose first line is the path
/// of the record that owns it. A claim whose record is gone (its owner removed without giving it
/// back, its store deleted) is stale, and is deleted when seen. One whose record is there but that
/// does not read is never deleted: what it holds may be in use, so nothing is chosen until it is
/// mended. The folder, host-wide, is trusted only when it and its parents are root's alone.
/// </summary>
internal sealed class ClaimFolder(string folder)
{
    public string Folder => folder;

    /// <summary>
    /// Held while claims are chosen, made and given back; makes the folder (and its parent) root's
    /// alone first, and refuses one that another user could have planted claims or links in.
    /// </summary>
    public FileLock Lock()
    {
        string parent = Path.GetDirectoryName(folder)!;
        StoreFolders.Create(parent, FileModes.OwnerOnlyFolder);
        StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        StoreFolders.VerifyParents(folder);
        StoreFolders.Verify(parent, folder);
        StoreFolders.Verify(folder, folder);
        return FileLock.Acquire(Path.Combine(folder, "claims.lock"), create: true);
    }

    /// <summary>
    /// What a claim says, read from its file's name and its lines after the owner's (or, where the
    /// claim names what its owner's record holds, from that record); false when it cannot be read.
    /// </summary>
    public delegate bool Reader<T>(string name, string owner, string[] lines, out T claim);

    /// <summary>
    /// The live claims other than <paramref name="ownRecord"/>'s; stale ones are deleted. Under
    /// <see cref="Lock"/>. A live claim that cannot be read stops the choice (ClaimUnreadable).
    /// </summary>
    public List<(string Owner, T Claim)> Others<T>(string ownRecord, Reader<T> read)
    {
        var claims = new List<(string, T)>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.claim"))
        {
            if (ReadLines(file) is not [var owner, ..] lines || !File.Exists(owner))
            {
                File.Delete(file);
                continue;
            }
            if (!read(Path.GetFileNameWithoutExtension(file), owner, lines[1..], out var claim)) throw ConmanErrors.ClaimUnreadable(file, owner);
            if (owner != ownRecord) claims.Add((owner, claim));
        }
        return claims;
    }

    /// <summary>The record that holds the claim <paramref name="name"/>, or null when nothing does. Under <see cref="Lock"/>.</summary>
    public string? OwnerOf(string name) => ReadLines(PathOf(name)) is [var owner, ..] ? owner : null;

    /// <summary>Writes the claim <paramref name="name"/>: its owner's record, then <paramref name="lines"/>. Under <see cref="Lock"/>.</summary>
    public void Write(string name, string ownerRecord, IEnumerable<string> lines) =>
        Protocol.AtomicFile.Write(PathOf(name), System.Text.Encoding.UTF8.GetBytes(string.Concat(new[] { ownerRecord }.Concat(lines).Select(l => l + "\n"))));

    /// <summary>Takes a claim back, unless another record holds it now.</summary>
    public void Release(string name, string ownerRecord)
    {
        string path = PathOf(name);
        if (!File.Exists(path)) return;
        using var _ = Lock();
        if (ReadLines(path) is not [var owner, ..] || owner == ownerRecord) File.Delete(path);
    }

    /// <summary>Deletes a claim whatever it says: that of a create that failed before its record was written. Under <see cref="Lock"/>.</summary>
    public void Withdraw(string name) => File.Delete(PathOf(name));

    public string PathOf(string name) => Path.Combine(folder, name + ".claim");

    private static string[]? ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
