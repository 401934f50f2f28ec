using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>
/// A busybox root filesystem shared by the engine tests, and the conman-shim that build.ps1
/// published. Real runc, real shim: nothing here is mocked.
/// </summary>
public sealed class RootFsFixture : IDisposable
{
    public RootFsFixture()
    {
        RootFs = Directory.CreateTempSubdirectory("conman-xunit-rootfs").FullName;
        string bin = Path.Combine(RootFs, "bin");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(Path.Combine(RootFs, "etc"));
        Directory.CreateDirectory(Path.Combine(RootFs, "tmp"));
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (string applet in new[] { "sh", "cat", "echo", "seq", "sleep", "true", "ls" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        }
        File.WriteAllText(Path.Combine(RootFs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");

        string shim = Path.Combine(Checkout.Root, "out", "shim", "conman-shim");
        if (!File.Exists(shim)) throw new InvalidOperationException($"Run ./build.ps1 Build first: {shim} is missing.");
        Environment.SetEnvironmentVariable("CONMAN_SHIM", shim);
    }

    public string RootFs { get; }

    public void Dispose() => Directory.Delete(RootFs, recursive: true);
}

/// <summary>One engine over its own temporary root; removes its containers even when a test fails.</summary>
public abstract class EngineTest : IClassFixture<RootFsFixture>, IDisposable
{
    protected EngineTest(RootFsFixture fixture)
    {
        RootFs = fixture.RootFs;
        Layout = new StoreLayout(Directory.CreateTempSubdirectory("conman-xunit-root").FullName);
        Engine = new ContainerEngine(Layout);
    }

    protected string RootFs { get; }
    internal StoreLayout Layout { get; }
    protected ContainerEngine Engine { get; }

    protected ContainerSnapshot Create(params string[] command) =>
        Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = command } });

    /// <summary>Lets a container that waits for /tmp/go carry on: the file appears through its overlay.</summary>
    protected void Release(ContainerSnapshot container) =>
        File.WriteAllText(Path.Combine(Layout.MergedRootFs(container.Id), "tmp", "go"), "");

    public void Dispose()
    {
        foreach (var container in Engine.Containers.List()) Engine.Containers.Remove(container.Id, force: true);
        // A network's bridge is the host's: it would outlive the root.
        foreach (var network in Engine.Networks.List()) Engine.Networks.Remove(network.Name, force: true);
        Directory.Delete(Layout.Root, recursive: true);
        if (Directory.Exists(Layout.RunFolder)) Directory.Delete(Layout.RunFolder, recursive: true);
    }
}
