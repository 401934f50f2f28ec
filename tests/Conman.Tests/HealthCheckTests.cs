using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Engine.Supervision;
using Conman.Protocol;
using Google.Protobuf;

namespace Conman.Tests;

/// <summary>A container's health check from its options and the image's Healthcheck, and the record the shim writes: pure.</summary>
[Trait("Category", "Unit")]
public class HealthCheckTests
{
    private static ImageHealthcheck ImageCheck(params string[] test)
    {
        var check = new ImageHealthcheck { IntervalNanoseconds = 5_000_000_000, TimeoutNanoseconds = 2_000_000_000, StartPeriodNanoseconds = 0, Retries = 4 };
        check.Test.AddRange(test);
        return check;
    }

    [Fact]
    public void The_images_healthcheck_is_read_from_its_config()
    {
        string json = """
            {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},
             "config":{"Cmd":["httpd"],"Healthcheck":{"Test":["CMD-SHELL","wget -q localhost"],"Interval":5000000000,"Timeout":2000000000,"Retries":4}}}
            """;
        var check = OciDocuments.ParseConfig(System.Text.Encoding.UTF8.GetBytes(json), "config").Defaults.Healthcheck;
        Assert.Equal(["CMD-SHELL", "wget -q localhost"], check.Test);
        Assert.Equal((5_000_000_000L, 2_000_000_000L, 4), (check.IntervalNanoseconds, check.TimeoutNanoseconds, check.Retries));
    }

    [Fact]
    public void The_images_check_is_taken_with_its_timings_and_the_options_override_them()
    {
        var fromImage = HealthChecks.Resolve(new HealthCheckConfig(), ImageCheck("CMD", "/healthy", "--now"))!;
        Assert.Equal(["/healthy", "--now"], fromImage.Command);
        Assert.Equal((5000U, 2000U, 0U, 4U), (fromImage.IntervalMilliseconds, fromImage.TimeoutMilliseconds, fromImage.StartPeriodMilliseconds, fromImage.Retries));
        var overridden = HealthChecks.Resolve(new HealthCheckConfig { Command = ["true"], Retries = 1, OnFailure = HealthOnFailure.Restart },
            ImageCheck("CMD-SHELL", "exit 1"))!;
        Assert.Equal(["/bin/sh", "-c", "true"], overridden.Command);
        Assert.Equal((5000U, 1U, HealthFailureAction.Restart), (overridden.IntervalMilliseconds, overridden.Retries, overridden.OnFailure));
    }

    [Fact]
    public void Docker_defaults_apply_without_timings()
    {
        var check = HealthChecks.Resolve(new HealthCheckConfig { Command = ["/probe", "-q"] }, null)!;
        Assert.Equal(["/probe", "-q"], check.Command);
        Assert.Equal((30000U, 30000U, 0U, 3U), (check.IntervalMilliseconds, check.TimeoutMilliseconds, check.StartPeriodMilliseconds, check.Retries));
    }

    [Fact]
    public void NONE_or_NoHealthcheck_means_none()
    {
        Assert.Null(HealthChecks.Resolve(new HealthCheckConfig(), ImageCheck("NONE")));
        Assert.Null(HealthChecks.Resolve(new HealthCheckConfig { Disabled = true }, ImageCheck("CMD", "/healthy")));
        Assert.Null(HealthChecks.Resolve(new HealthCheckConfig(), null));
    }

    [Theory]
    [InlineData(true, false, null, null)]
    [InlineData(false, true, null, null)]
    [InlineData(false, false, 0, null)]
    [InlineData(false, false, null, 0.0)]
    public void Bad_health_settings_are_refused(bool noHealthcheckWithCommand, bool settingsWithoutCommand, int? retries, double? intervalSeconds)
    {
        var options = new HealthCheckConfig
        { Disabled = noHealthcheckWithCommand, Command = settingsWithoutCommand ? null : ["true"], Retries = retries ?? (settingsWithoutCommand ? 2 : null), Interval = intervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null };
        Assert.Equal(ErrorIds.InvalidHealthCheck, Assert.Throws<ConmanException>(() => HealthChecks.Resolve(options, null)).ErrorId);
    }

    [Fact]
    public void Health_records_are_the_bytes_the_generated_class_writes()
    {
        var started = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        var probes = new List<ShimWire.Probe> { new(started, started.AddMilliseconds(5), 1, "missing\n"), new(started.AddSeconds(1), started.AddSeconds(2), 0, "") };
        byte[] written = ShimWire.HealthRecord(new ShimId(7, 9), started, Protocol.HealthStatus.Healthy, 0, probes);
        var expected = new HealthRecord
        {
            Shim = new ShimIdentity { Pid = 7, StartTime = 9 }, RunStartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(started),
            Status = Protocol.HealthStatus.Healthy,
        };
        foreach (var p in probes)
        {
            expected.Probes.Add(new Protocol.HealthProbe
            {
                StartedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(p.StartedAtUtc),
                FinishedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(p.FinishedAtUtc), ExitCode = p.ExitCode, Output = p.Output,
            });
        }
        Assert.Equal(expected.ToByteArray(), written);
        var read = HealthChecks.From(HealthRecord.Parser.ParseFrom(written));
        Assert.Equal((Engine.Supervision.HealthStatus.Healthy, 2, "missing\n"), (read.Status, read.Log.Count, read.Log[0].Output));
    }
}
