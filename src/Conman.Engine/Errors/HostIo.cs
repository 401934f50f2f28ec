namespace Conman.Engine;

/// <summary>
/// The services' boundary for what the host's file systems refuse where no step expected it (a
/// full or read-only store, a file changed under Conman, a folder that will not go): such a
/// failure is a <see cref="ConmanException"/> (HostIoFailed) like every other, so that a caller
/// handles one kind of error, and a pipeline of many containers goes on past the one that failed.
/// </summary>
internal static class HostIo
{
    /// <param name="what">What was being done, as the message begins: "Removing the container 'web'".</param>
    public static T Guard<T>(string what, string target, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConmanErrors.HostIoFailed(what, target, e);
        }
    }

    public static void Guard(string what, string target, Action work) => Guard(what, target, () =>
    {
        work();
        return true;
    });
}
