<#
.SYNOPSIS
    Resident (RSS) and proportional (PSS) memory of idle conman-shim processes beside conmon's,
    for the same containers (busybox "sleep 3600" from the same root filesystem, both on runc).
.DESCRIPTION
    Starts -Count containers with Conman and -Count with podman (which runs one conmon each),
    waits for them to settle, reads /proc/PID/smaps_rollup of every shim and every conmon, and
    returns one row per manager: median and total RSS and PSS in KiB. PSS shares the pages a
    process has in common with others (the binary, libc) among them, so at 100 containers it is
    the fair per-container cost.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $Count = @(1, 100),
    [string] $RootFs
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')

function Read-Memory([int] $ProcessId) {
    $rollup = Get-Content "/proc/$ProcessId/smaps_rollup"
    $value = { param($name) [int](($rollup | Where-Object { $_ -match "^${name}:" }) -replace '\D', '') }
    [pscustomobject]@{ Rss = & $value 'Rss'; Pss = & $value 'Pss'; Anon = & $value 'Pss_Anon' }
}

function Get-Summary([string] $Manager, [int] $N, [object[]] $Samples) {
    [pscustomobject]@{
        Manager        = $Manager
        Containers     = $N
        MedianRssKiB   = Get-Median $Samples.Rss
        MedianPssKiB   = Get-Median $Samples.Pss
        MedianAnonKiB  = Get-Median $Samples.Anon
        TotalRssMiB    = [math]::Round(($Samples.Rss | Measure-Object -Sum).Sum / 1024, 1)
        TotalPssMiB    = [math]::Round(($Samples.Pss | Measure-Object -Sum).Sum / 1024, 1)
    }
}

$podmanArgs = @('--runtime', 'runc', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024')
foreach ($n in $Count) {
    # Conman
    $env:CONMAN_ROOT = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-$PID"
    try {
        foreach ($i in 1..$n) { New-Container -RootFs $RootFs -Name "mem$i" -Command sleep, 3600 | Start-Container }
        Start-Sleep -Seconds 3
        $samples = foreach ($c in Get-Container) {
            $shimPid = [int]((Get-Content "/proc/$($c.Pid)/stat") -split ' ')[3]
            Read-Memory $shimPid
        }
        Get-Summary 'conman-shim' $n $samples
    } finally {
        Get-Container | Remove-Container -Force
        Remove-ConmanRoot $env:CONMAN_ROOT
    }

    # podman + conmon
    $names = @(1..$n | ForEach-Object { "conman-bench-$PID-$n-$_" })
    try {
        foreach ($name in $names) {
            & podman run -d --name $name @podmanArgs --rootfs $RootFs sleep 3600 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "podman run failed for $name" }
        }
        Start-Sleep -Seconds 3
        $samples = foreach ($name in $names) { Read-Memory ([int](& podman inspect --format '{{.State.ConmonPid}}' $name)) }
        Get-Summary 'conmon' $n $samples
    } finally {
        & podman rm -f -t 0 @names | Out-Null
    }
}
