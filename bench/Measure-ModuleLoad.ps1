<#
.SYNOPSIS
    Import-Module time and the first cmdlet's latency (Get-Container on an empty root), each in a
    fresh pwsh process, medians of -Iterations runs.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Iterations = 10
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$root = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-load-$PID"
$script = @"
`$env:CONMAN_ROOT = '$root'
`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$import = `$w.Elapsed.TotalMilliseconds
`$w.Restart(); `$null = Get-Container; `$first = `$w.Elapsed.TotalMilliseconds
"`$import `$first"
"@
$samples = foreach ($i in 1..$Iterations) {
    $out = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
    $import, $first = $out -split ' '
    [pscustomobject]@{ Import = [double]$import; First = [double]$first }
}
Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
[pscustomobject]@{
    ImportModuleMs = [math]::Round((Get-UpperMedian $samples.Import), 1)
    FirstCmdletMs  = [math]::Round((Get-UpperMedian $samples.First), 1)
}
