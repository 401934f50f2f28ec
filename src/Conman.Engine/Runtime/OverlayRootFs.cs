using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>The container's root filesystem: its layers under an overlay, writes to its own upper layer.</summary>
internal sealed class OverlayRootFs(IReadOnlyList<string> lowers, string upper, string work, string merged, string linkFolder) : IHostResource
{
    public void Acquire() => RootFsOverlay.Mount(lowers, upper, work, merged, linkFolder);

    public void Release() => RootFsOverlay.Unmount(merged);

    public IEnumerable<TeardownStep> AtExit => [new TeardownStep { Unmount = merged }];
}
