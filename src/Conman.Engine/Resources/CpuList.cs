namespace Conman.Engine.Resources;

/// <summary>The kernel's CPU list format, as cpuset.cpus and /sys/devices/system/cpu/online write it: "0-3,5,7-8".</summary>
internal static class CpuList
{
    /// <returns>The CPUs' numbers; null when the text is not such a list.</returns>
    public static HashSet<int>? Parse(string text)
    {
        var cpus = new HashSet<int>();
        if (text.Length == 0) return null;
        foreach (string part in text.Split(','))
        {
            string[] range = part.Split('-');
            if (range.Length > 2 || !TryParseNumber(range[0], out int first)) return null;
            int last = first;
            if (range.Length == 2 && (!TryParseNumber(range[1], out last) || last < first)) return null;
            // The kernel takes no more than a few thousand CPUs; a huge range is a mistake, not a machine.
            if (last > 8191) return null;
            for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }

    private static bool TryParseNumber(string text, out int number) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number);
}
