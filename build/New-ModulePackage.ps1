<#
.SYNOPSIS
    Packs the built module (out/Conman) into a .nupkg that Install-PSResource installs.
.DESCRIPTION
    Compress-PSResource (PSResourceGet, shipped with PowerShell) makes the package with no
    repository registered. A .nupkg is a zip and keeps no Unix modes: the engine gives conman-shim
    its execute bit back at first use (src/Conman.Engine/Shim/ShimExecutable.cs).
#>
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $Destination
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Path $Destination -Force | Out-Null
Compress-PSResource -Path $ModuleFolder -DestinationPath $Destination
Get-ChildItem $Destination -Filter 'Conman.*.nupkg' | Sort-Object LastWriteTime | Select-Object -Last 1
