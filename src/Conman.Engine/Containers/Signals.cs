using System.Globalization;

namespace Conman.Engine.Containers;

/// <summary>Signal names and numbers as kill(1) and docker kill take them: "TERM", "SIGTERM", "15".</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["BUS"] = 7, ["FPE"] = 8,
        ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15,
        ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22,
        ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29,
        ["PWR"] = 30, ["SYS"] = 31,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>Whether <see cref="Parse"/> takes it.</summary>
    internal static bool IsKnown(string signal) => TryParse(signal, out _);

    public static int Parse(string signal) => TryParse(signal, out int number) ? number : throw ConmanErrors.InvalidSignal(signal);

    private static bool TryParse(string signal, out int number)
    {
        string value = signal.Trim();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is >= 1 and <= 64) return true;
        if (value.StartsWith("SIG", StringComparison.OrdinalIgnoreCase)) value = value[3..];
        return ByName.TryGetValue(value, out number);
    }
}
