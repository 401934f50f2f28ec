using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace Conman.Cmdlets;

/// <summary>
/// Lets a duration parameter take Docker's durations ("30s", "1m30s", "500ms", "2h"), a number of
/// seconds (PowerShell would read a bare number as ticks), or a TimeSpan.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<unit>h|ms|m|s|us|ns))+$")]
    private static partial Regex GoDuration();

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case TimeSpan:
            case null:
                return value;
            // Any number, of any type: PowerShell reads 5s as the short 5, which means 5 seconds here too.
            case IConvertible number when number.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal:
                return TimeSpan.FromSeconds(number.ToDouble(CultureInfo.InvariantCulture));
            case string text:
                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && text.Contains(':')) return span;
                var match = GoDuration().Match(text.Trim());
                if (!match.Success) throw new ArgumentTransformationMetadataException($"'{text}' is not a duration: give seconds, a TimeSpan, or Docker's form such as 30s, 1m30s or 500ms.");
                var total = TimeSpan.Zero;
                for (int i = 0; i < match.Groups["n"].Captures.Count; i++)
                {
                    double n = double.Parse(match.Groups["n"].Captures[i].Value, CultureInfo.InvariantCulture);
                    total += match.Groups["unit"].Captures[i].Value switch
                    {
                        "h" => TimeSpan.FromHours(n),
                        "m" => TimeSpan.FromMinutes(n),
                        "s" => TimeSpan.FromSeconds(n),
                        "ms" => TimeSpan.FromMilliseconds(n),
                        "us" => TimeSpan.FromMicroseconds(n),
                        _ => TimeSpan.FromTicks((long)(n / 100)),
                    };
                }
                return total;
            default:
                return value;
        }
    }
}
