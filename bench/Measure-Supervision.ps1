<#
.SYNOPSIS
    What limits, restarts, health checks and stats cost (issue 11): the lifecycle cycle with and
    without limits, restart latency beside podman's --restart always, an idle shim's memory with
    and without a health check, and one Get-ContainerStatistic sample of many running containers.
.DESCRIPTION
    Returns one object with four tables (Lifecycle, Restart, Memory, Stats). Medians throughout;
    the rounds of a comparison are interleaved so that both sides share the machine's state.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [int] $Cycles = 20,
    [int] $Restarts = 10,
    [int] $MemoryShims = 10,
    [int] $StatsContainers = 200
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')

function Read-Pss([int] $ProcessId) {
    $rollup = Get-Content "/proc/$ProcessId/smaps_rollup"
    [int](($rollup | Where-Object { $_ -match '^Pss:' }) -replace '\D', '')
}

function Get-ShimPid([string] $Id) {
    $layout = Get-StoreLayout $env:CONMAN_ROOT
    (Read-StoreRecord RunRecord $layout.RunPath($Id)).Shim.Pid
}

$env:CONMAN_ROOT = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-supervision-$PID"
try {
    # The lifecycle cycle, with limits and without: a limit is a few more cgroup files runc writes.
    $plain = [System.Collections.Generic.List[double]]::new()
    $limited = [System.Collections.Generic.List[double]]::new()
    foreach ($round in 1..($Cycles + 3)) {
        foreach ($kind in 'plain', 'limited') {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $c = if ($kind -eq 'plain') { New-Container -RootFs $RootFs -Command true }
                 else { New-Container -RootFs $RootFs -Command true -Memory 64MB -Cpus 0.5 -PidsLimit 100 }
            Start-Container -Id $c.Id
            $null = Wait-Container -Id $c.Id
            Remove-Container -Id $c.Id
            if ($round -le 3) { continue }
            if ($kind -eq 'plain') { $plain.Add($watch.Elapsed.TotalMilliseconds) } else { $limited.Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    $lifecycle = @(
        [pscustomobject]@{ Container = 'no limits'; Cycles = $plain.Count; MedianMs = [math]::Round((Get-Median $plain), 1) }
        [pscustomobject]@{ Container = '-Memory 64MB -Cpus 0.5 -PidsLimit 100'; Cycles = $limited.Count; MedianMs = [math]::Round((Get-Median $limited), 1) }
    )

    # Restart latency: from a run's end (its exit) to the next run's start, as each manager records them.
    $layout = Get-StoreLayout $env:CONMAN_ROOT
    $conmanGaps = foreach ($i in 1..$Restarts) {
        $c = New-Container -RootFs $RootFs -RestartPolicy Always -Command sh, -c, 'sleep 0.3; exit 1' | Start-Container -PassThru
        while ((Get-Container -Id $c.Id).RestartCount -lt 1) { Start-Sleep -Milliseconds 20 }
        $exit = Read-StoreRecord ExitRecord $layout.ExitPath($c.Id)
        $run = Read-StoreRecord RunRecord $layout.RunPath($c.Id)
        Remove-Container -Id $c.Id -Force
        ($run.StartedAt.ToDateTime() - $exit.FinishedAt.ToDateTime()).TotalMilliseconds
    }
    $podmanGaps = foreach ($i in 1..$Restarts) {
        $name = "conman-bench-restart-$PID-$i"
        # The host's hard open-files limit is below podman's default (see PITFALLS): the same ulimits as the other benchmarks.
        & podman run -d --name $name --runtime runc --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --restart always --rootfs $RootFs sh -c 'sleep 0.3; exit 1' | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "podman run failed" }
        while ([int](& podman inspect --format '{{.RestartCount}}' $name) -lt 1) { Start-Sleep -Milliseconds 20 }
        $times = (& podman inspect --format '{{.State.FinishedAt.UnixNano}} {{.State.StartedAt.UnixNano}}' $name) -split ' '
        & podman rm -f -t 0 $name | Out-Null
        ([double] $times[1] - [double] $times[0]) / 1e6
    }
    $restart = @(
        [pscustomobject]@{ Manager = 'conman (-RestartPolicy Always)'; Restarts = @($conmanGaps).Count; MedianMs = [math]::Round((Get-Median $conmanGaps), 1)
            Note = "includes Docker's first backoff, 100 ms" }
        [pscustomobject]@{ Manager = 'podman --restart always'; Restarts = @($podmanGaps).Count; MedianMs = [math]::Round((Get-Median $podmanGaps), 1)
            Note = 'no backoff' }
    )

    # An idle shim's memory with a health check (between checks) and without one.
    $memory = foreach ($kind in 'without', 'with') {
        $ids = foreach ($i in 1..$MemoryShims) {
            $c = if ($kind -eq 'with') { New-Container -RootFs $RootFs -Command sleep, 3600 -HealthCommand true -HealthInterval 2s }
                 else { New-Container -RootFs $RootFs -Command sleep, 3600 }
            (Start-Container -Id $c.Id -PassThru).Id
        }
        # Two checks done, and the next 2 s away: the shims are between checks.
        if ($kind -eq 'with') {
            while (@(Get-Container | Where-Object { $_.Health -and @($_.Health.Log).Count -lt 2 }).Count) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 300
        } else { Start-Sleep -Seconds 3 }
        $pss = foreach ($id in $ids) { Read-Pss (Get-ShimPid $id) }
        Get-Container | Remove-Container -Force
        [pscustomobject]@{ HealthCheck = $kind; Shims = $MemoryShims; MedianPssKiB = Get-Median $pss }
    }

    # One Get-ContainerStatistic sample of many running containers.
    foreach ($i in 1..$StatsContainers) { New-Container -RootFs $RootFs -Command sleep, 3600 | Start-Container }
    $samples = foreach ($i in 1..7) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $count = @(Get-ContainerStatistic).Count
        if ($count -ne $StatsContainers) { throw "Get-ContainerStatistic returned $count samples" }
        $watch.Elapsed.TotalMilliseconds
    }
    $stats = [pscustomobject]@{ Containers = $StatsContainers; Samples = @($samples).Count; MedianMs = [math]::Round((Get-Median $samples), 1) }
    Get-Container | Remove-Container -Force

    [pscustomobject]@{ Lifecycle = $lifecycle; Restart = $restart; Memory = $memory; Stats = $stats }
} finally {
    Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    Remove-ConmanRoot $env:CONMAN_ROOT
}
