using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>network.pb: the run's addresses and ports, for Get-Container; it goes when the run's networks do.</summary>
internal sealed class NetworkStateFile(ContainerNetworking networking, string path) : IHostResource
{
    public void Acquire()
    {
        var state = new NetworkState();
        state.Attachments.AddRange(networking.Attachments);
        state.Ports.AddRange(networking.Ports);
        AtomicFile.Write(path, state);
    }

    public IEnumerable<TeardownStep> Undo => [new TeardownStep { RemoveFile = path }];
}
