namespace Conman.Engine.Images;

/// <summary>
/// How far a long image operation got, one bar per item (a layer, usually): the cmdlets turn
/// these into Write-Progress records.
/// </summary>
/// <param name="Activity">"Pulling", "Importing" or "Unpacking".</param>
/// <param name="Item">What the bar is about: a layer's short digest.</param>
/// <param name="Total">Bytes in all, or 0 when unknown.</param>
public sealed record ImageProgress(string Activity, string Item, long Done, long Total, bool Completed);
