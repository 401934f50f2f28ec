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

    /// <summary>The bytes of the files under a folder; links are counted as links, never followed.</summary>
    private static long FolderSize(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        try
        {
            return new DirectoryInfo(folder).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (IOException)
        {
            // A file removed while it was counted (a container's own writes): the size is an estimate anyway.
            return 0;
        }
    }
}
