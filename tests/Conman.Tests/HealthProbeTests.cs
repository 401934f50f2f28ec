using System.Text;
using Conman.Host.Supervision;

namespace Conman.Tests;

/// <summary>One health check under way (its timeout and its result) and the end of its output the shim keeps. Pure.</summary>
[Trait("Category", "Unit")]
public class HealthProbeTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_check_times_out_once_at_its_deadline()
    {
        var probe = new ProbeInProgress(Start, TimeSpan.FromSeconds(5));
        Assert.Equal(Start.AddSeconds(5), probe.DeadlineUtc);
        Assert.False(probe.TimesOut(Start.AddSeconds(5) - TimeSpan.FromTicks(1)));
        Assert.True(probe.TimesOut(Start.AddSeconds(5)));
        Assert.False(probe.TimesOut(Start.AddSeconds(6)));
        Assert.True(probe.TimedOut);
    }

    [Theory]
    [InlineData(5, "Health check exceeded timeout (5 s)")]
    [InlineData(1.5, "Health check exceeded timeout (1.5 s)")]
    public void A_check_past_its_timeout_fails_with_minus_1_and_says_so_whatever_it_exited_with(double timeoutSeconds, string message)
    {
        var probe = new ProbeInProgress(Start, TimeSpan.FromSeconds(timeoutSeconds));
        probe.Output.Append("still working"u8);
        probe.TimesOut(Start.AddSeconds(timeoutSeconds));
        var result = probe.Result(Start.AddSeconds(timeoutSeconds + 0.1), exitCode: 0);
        Assert.Equal((-1, message), (result.ExitCode, result.Output));
        Assert.Equal(Start, result.StartedAtUtc);
    }

    [Fact]
    public void A_check_that_ended_in_time_gives_its_exit_code_and_output()
    {
        var probe = new ProbeInProgress(Start, TimeSpan.FromSeconds(5));
        probe.Output.Append("connection "u8);
        probe.Output.Append("refused\n"u8);
        var result = probe.Result(Start.AddSeconds(1), exitCode: 7);
        Assert.Equal(new Conman.Protocol.ShimWire.Probe(Start, Start.AddSeconds(1), 7, "connection refused\n"), result);
    }

    [Fact]
    public void A_check_that_could_not_start_fails_with_why()
    {
        var result = new ProbeInProgress(Start, TimeSpan.FromSeconds(5)).Result(Start, exitCode: -1, failure: "cannot start runc");
        Assert.Equal((-1, "cannot start runc"), (result.ExitCode, result.Output));
    }

    [Fact]
    public void Silent_checks_keep_no_output() => Assert.Equal("", new ProbeOutputTail().ToString());

    /// <summary>Whatever the sizes it arrives in, what is kept is the last 4 KiB of all of it.</summary>
    [Theory]
    [InlineData(10, 1)]
    [InlineData(4095, 1)]
    [InlineData(4096, 1)]
    [InlineData(4097, 1)]
    [InlineData(10_000, 1)]
    [InlineData(10_000, 7)]
    [InlineData(10_000, 1000)]
    [InlineData(10_000, 4095)]
    [InlineData(10_000, 4096)]
    [InlineData(10_000, 5000)]
    [InlineData(3000, 2000)]
    public void The_output_kept_is_its_last_4_KiB(int total, int chunk)
    {
        byte[] output = Enumerable.Range(0, total).Select(i => (byte)('a' + i % 26)).ToArray();
        var tail = new ProbeOutputTail();
        for (int at = 0; at < total; at += chunk) tail.Append(output.AsSpan(at, Math.Min(chunk, total - at)));
        Assert.Equal(Encoding.ASCII.GetString(output, Math.Max(0, total - ProbeOutputTail.Limit), Math.Min(total, ProbeOutputTail.Limit)), tail.ToString());
    }

    [Fact]
    public void A_character_cut_at_the_start_of_the_tail_reads_as_a_replacement_character()
    {
        var tail = new ProbeOutputTail();
        tail.Append("é"u8); // two bytes: the first falls off
        tail.Append(Encoding.ASCII.GetBytes(new string('x', ProbeOutputTail.Limit - 1)));
        Assert.Equal("\uFFFD" + new string('x', ProbeOutputTail.Limit - 1), tail.ToString());
    }
}
