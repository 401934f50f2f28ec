namespace Conman.Engine;

/// <summary>
/// Docker's short ids, for containers and images alike: a prefix of the hex id names the one
/// object whose id starts with it, and a prefix that two share names neither.
/// </summary>
internal static class IdResolver
{
    /// <returns>The one match, or null when there is none.</returns>
    /// <exception cref="ConmanException">More than one id starts with the prefix (from <paramref name="ambiguous"/>).</exception>
    public static T? ByUniquePrefix<T>(string prefix, IEnumerable<T> candidates, Func<T, string> hexId, Func<string, int, ConmanException> ambiguous)
        where T : class
    {
        var matches = candidates.Where(c => hexId(c).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw ambiguous(prefix, candidates.Count(c => hexId(c).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))),
        };
    }
}
