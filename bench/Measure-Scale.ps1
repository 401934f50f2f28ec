<#
.SYNOPSIS
    Scale: -Count running containers. Time to start them all, their shims' total memory,
    Get-Container's latency with all of them listed (median of 20), and the time to stop and to
    remove them all.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [int] $Count = 200
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$env:CONMAN_ROOT = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-scale-$PID"
try {
    $containers = foreach ($i in 1..$Count) { New-Container -RootFs $RootFs -Name "scale$i" -Command sleep, 3600 }
    $start = Measure-Command { $containers | Start-Container }
    Start-Sleep -Seconds 2
    $running = Get-Container -State Running
    $shims = foreach ($c in $running) { [int]((Get-Content "/proc/$($c.Pid)/stat") -split ' ')[3] }
    $rss = 0; $pss = 0
    foreach ($shim in $shims) {
        $rollup = Get-Content "/proc/$shim/smaps_rollup"
        $rss += [int](($rollup | Where-Object { $_ -match '^Rss:' }) -replace '\D', '')
        $pss += [int](($rollup | Where-Object { $_ -match '^Pss:' }) -replace '\D', '')
    }
    $list = foreach ($i in 1..20) { (Measure-Command { $null = Get-Container }).TotalMilliseconds }
    $stop = Measure-Command { Get-Container | Stop-Container -Force }
    $remove = Measure-Command { Get-Container | Remove-Container }
    [pscustomobject]@{
        Containers        = $Count
        Running           = @($running).Count
        StartAllSeconds   = [math]::Round($start.TotalSeconds, 2)
        ShimRssMiB        = [math]::Round($rss / 1024, 1)
        ShimPssMiB        = [math]::Round($pss / 1024, 1)
        GetContainerMs    = [math]::Round(($list | Sort-Object)[10], 1)
        StopAllSeconds    = [math]::Round($stop.TotalSeconds, 2)
        RemoveAllSeconds  = [math]::Round($remove.TotalSeconds, 2)
    }
} finally {
    Get-Container | Remove-Container -Force
    Remove-ConmanRoot $env:CONMAN_ROOT
}
