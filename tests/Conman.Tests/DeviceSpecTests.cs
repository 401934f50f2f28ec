using Conman.Engine;
using Conman.Engine.Spec;

namespace Conman.Tests;

/// <summary>Docker's --device syntax, and the device node and cgroup rule it puts in the spec.</summary>
public class DeviceSpecTests
{
    [Fact]
    public void A_device_alone_keeps_its_path_and_every_permission()
    {
        var device = Assert.Single(DeviceSpec.Parse("/dev/null"));
        Assert.Equal(("/dev/null", "/dev/null", "rwm", "c", 1L, 3L), (device.HostPath, device.ContainerPath, device.Permissions, device.Type, device.Major, device.Minor));
        Assert.Equal(0x1B6u, device.FileMode);
    }

    [Fact]
    public void A_container_path_and_permissions_may_follow()
    {
        var renamed = Assert.Single(DeviceSpec.Parse("/dev/zero:/dev/nothing:r"));
        Assert.Equal(("/dev/nothing", "r", 1L, 5L), (renamed.ContainerPath, renamed.Permissions, renamed.Major, renamed.Minor));
        var permissionsOnly = Assert.Single(DeviceSpec.Parse("/dev/zero:wr"));
        Assert.Equal(("/dev/zero", "rw"), (permissionsOnly.ContainerPath, permissionsOnly.Permissions));
        Assert.Equal("/dev/other", Assert.Single(DeviceSpec.Parse("/dev/zero:/dev/other")).ContainerPath);
    }

    [Theory]
    [InlineData("/dev/no-such-device")]
    [InlineData("/etc/passwd")]
    [InlineData("/etc")]
    [InlineData("dev/null")]
    [InlineData("/dev/null:dev/x:rw")]
    [InlineData("/dev/null:/dev/x:rwx")]
    [InlineData("/dev/null:/dev/x:rr")]
    [InlineData("/dev/null:/dev/../etc/x")]
    [InlineData("/dev/null::rw")]
    [InlineData("/dev/null:/a:r:w")]
    public void What_is_not_a_device_node_or_Dockers_syntax_is_refused(string spec) =>
        Assert.Equal(ErrorIds.InvalidDevice, Assert.Throws<ConmanException>(() => DeviceSpec.Parse(spec)).ErrorId);

    [Fact]
    public void A_folder_stands_for_every_device_node_below_it_at_the_same_place()
    {
        string folder = Directory.CreateTempSubdirectory("conman-xunit-devices").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            Assert.Equal(0, Conman.Native.LibC.mknod(Path.Combine(folder, "zero"), 0x2000 | 0x1b6, (1UL << 8) | 5));
            Assert.Equal(0, Conman.Native.LibC.mknod(Path.Combine(folder, "sub/null"), 0x2000 | 0x1b6, (1UL << 8) | 3));
            File.WriteAllText(Path.Combine(folder, "readme"), "not a device");
            File.CreateSymbolicLink(Path.Combine(folder, "link"), "/dev/full");
            var devices = DeviceSpec.Parse($"{folder}:/dev/mine:r");
            Assert.Equal(["/dev/mine/sub/null", "/dev/mine/zero"], devices.Select(d => d.ContainerPath));
            Assert.Equal([(1L, 3L), (1L, 5L)], devices.Select(d => (d.Major, d.Minor)));
            Assert.All(devices, d => Assert.Equal("r", d.Permissions));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_device_is_a_node_in_the_spec_and_an_allow_rule_after_the_default_deny()
    {
        var spec = ContainerSpec.Build([SpecOptions.DockerDefaults("x", (1, 1)), SpecOptions.WithDevices(DeviceSpec.Parse("/dev/zero:/dev/nothing:rw"))]);
        var node = Assert.Single(spec.Linux.Devices!);
        Assert.Equal(new OciDevice("/dev/nothing", "c", 1, 5, 0x1B6, 0, 0), node);
        Assert.Equal([new OciDeviceRule(false, "rwm"), new OciDeviceRule(true, "rw", "c", 1, 5)], spec.Linux.Resources.Devices);
        string json = System.Text.Encoding.UTF8.GetString(spec.ToJson());
        Assert.Contains("\"fileMode\": 438", json);
        Assert.Contains("\"access\": \"rw\"", json);
    }
}
