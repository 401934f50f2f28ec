using Conman.Engine.Containers;
using Conman.Engine.Resources;

namespace Conman.Engine.Runtime;

/// <summary>
/// What a store holds and what runs it, as docker system df and docker info say it (Get-ContainerSystem).
/// Sizes are of what is on disk: images are the store's blobs and unpacked layers together (a layer
/// two images share, once), a container's is its writable layer (docker ps -s's SIZE), volumes their data.
/// </summary>
public sealed record StoreUsage(string Root, string RuntimeVersion, int CgroupVersion, string Kernel,
    int Containers, int RunningContainers, long ContainersSize, int Images, long ImagesSize, int Volumes, long VolumesSize)
{
    internal static StoreUsage Read(ContainerEngine engine, StoreLayout layout)
    {
        var containers = engine.Containers.List();
        var runc = HelperProcess.Run(RuncRuntime.Locate(), ["--version"]);
        return new StoreUsage(
            layout.Root,
            runc.Stdout.Split('\n')[0].Trim(),
            CgroupLayout.Current.Unified ? 2 : 1,
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            containers.Count,
            containers.Count(c => c.State == ContainerState.Running),
            containers.Sum(c => FolderSize(layout.UpperLayer(c.Id))),
            engine.Images.List().Count,
            FolderSize(layout.BlobsFolder) + FolderSize(layout.SnapshotsFolder),
            engine.Volumes.List().Count,
            FolderSize(layout.VolumesFolder));
    }

    /// <summary>
    /// The bytes of the regular files under a folder, walked by descriptors (<see cref="Files.ContainerLayerWalk"/>):
    /// a writable layer and a volume hold what containers wrote, and a link there, or a folder swapped
    /// for one during the walk, is never followed out of it.
    /// </summary>
    private static long FolderSize(string folder)
    {
        try
        {
            return Files.ContainerLayerWalk.Entries(folder).Where(e => e.Status.Type == Native.LibC.S_IFREG).Sum(e => e.Status.Size);
        }
        catch (IOException)
        {
            // A folder removed while it was counted (a container's own writes): the size is an estimate anyway.
            return 0;
        }
    }
}
