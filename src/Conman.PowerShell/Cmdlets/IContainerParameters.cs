using System.Collections;
using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>The parameters that describe a new container, shared by New- and Invoke-Container.</summary>
internal interface IContainerParameters
{
    string? Name { get; }
    string[]? Command { get; }
    Hashtable? Environment { get; }
    string? WorkingDirectory { get; }
    string? User { get; }
    string? Hostname { get; }
    Hashtable? Label { get; }
    string[]? Volume { get; }
    SwitchParameter ReadOnly { get; }
    SwitchParameter Interactive { get; }
}
