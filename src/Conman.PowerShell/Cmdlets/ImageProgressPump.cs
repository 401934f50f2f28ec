using System.Collections.Concurrent;
using System.Management.Automation;
using Conman.Engine.Images;

namespace Conman.Cmdlets;

/// <summary>
/// Long image work (import, pull, unpack) for a cmdlet: the work runs on a worker thread while
/// the pipeline thread turns its progress into one Write-Progress bar per layer, since only the
/// pipeline thread may write to PowerShell. Ctrl+C cancels the work, and the cmdlet returns only
/// once the worker has cleaned up, so no partial image is left.
/// </summary>
internal sealed class ImageProgressPump(Cmdlet cmdlet, CancellationToken stop)
{
    private const int ParentActivityId = 1;

    /// <summary>Runs <paramref name="work"/>, showing its progress; its ConmanException is rethrown here.</summary>
    public T Run<T>(string activity, Func<Action<ImageProgress>, CancellationToken, T> work)
    {
        var updates = new BlockingCollection<ImageProgress>();
        var task = Task.Run(() =>
        {
            try
            {
                return work(updates.Add, stop);
            }
            finally
            {
                updates.CompleteAdding();
            }
        });
        var bars = new Dictionary<string, (int Id, int Percent)>(StringComparer.Ordinal);
        try
        {
            cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, activity, "Starting"));
            foreach (var update in updates.GetConsumingEnumerable())
            {
                string key = update.Activity + " " + update.Item;
                if (!bars.TryGetValue(key, out var bar)) bar = (ParentActivityId + 1 + bars.Count, -1);
                int percent = update.Total > 0 ? (int)Math.Min(100, update.Done * 100 / update.Total) : 0;
                // One record per percent: thousands per second would slow the host's rendering down.
                if (percent == bar.Percent && !update.Completed) continue;
                bars[key] = (bar.Id, percent);
                cmdlet.WriteProgress(new ProgressRecord(bar.Id, $"{update.Activity} {update.Item}",
                    update.Completed ? "Done" : $"{FormatBytes(update.Done)} of {FormatBytes(update.Total)}")
                {
                    ParentActivityId = ParentActivityId,
                    PercentComplete = percent,
                    RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
            }
            cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        finally
        {
            // WriteProgress throws once the pipeline is stopping: the worker still gets to clean up first.
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }

    private static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";
}
