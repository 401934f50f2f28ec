namespace Conman.Cmdlets;

/// <summary>The parameter a mistyped name most likely meant, as "did you mean" suggestions choose it.</summary>
internal static class ParameterNames
{
    /// <returns>
    /// The name with the fewest edits from <paramref name="typed"/> (case aside), if that is few
    /// enough to be a typo (at most a third of the name, and at least 2); or the one name it begins.
    /// </returns>
    public static string? Closest(string typed, IEnumerable<string> names)
    {
        var candidates = names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var starting = candidates.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        if (starting.Count == 1) return starting[0];
        int allowed = Math.Max(2, typed.Length / 3);
        return candidates
            .Select(n => (Name: n, Edits: Edits(typed.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Edits <= allowed)
            .OrderBy(c => c.Edits).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("Nmae").</summary>
    private static int Edits(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
