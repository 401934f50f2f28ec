<#
.SYNOPSIS
    Networking, side by side with podman on the same root filesystem: the lifecycle cycle of `true`
    on each one's default bridge network and with no network (the difference is what networking
    costs), and the throughput of a large file fetched from the host through a published port.
.DESCRIPTION
    podman 4.3.1 here uses the CNI backend with the same plugins (bridge, host-local, portmap,
    firewall, tuning). Cycles are interleaved round by round, as in Measure-Lifecycle.ps1; the
    throughput runs alternate too. Only loopback is contacted.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [int] $Iterations = 20,
    [int] $Warmup = 3,
    [int] $FileMiB = 256,
    [int] $Transfers = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-networking-$PID"
$env:CONMAN_ROOT = Join-Path $work 'root'
New-Item -ItemType Directory -Path $work | Out-Null
$podmanArguments = @('--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024')

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Measure-Fetch([string] $Url) {
    <# Seconds to read the whole body from the URL, once it answers. #>
    $client = [System.Net.Http.HttpClient]::new()
    $client.Timeout = [TimeSpan]::FromMinutes(2)
    try {
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($true) {
            try { $null = $client.GetAsync("$Url/ready.txt").GetAwaiter().GetResult().EnsureSuccessStatusCode(); break }
            catch { if ([DateTime]::UtcNow -gt $deadline) { throw } ; Start-Sleep -Milliseconds 50 }
        }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $stream = $client.GetStreamAsync("$Url/large.bin").GetAwaiter().GetResult()
        $buffer = [byte[]]::new(1MB); $total = 0
        while (($n = $stream.Read($buffer, 0, $buffer.Length)) -gt 0) { $total += $n }
        $watch.Stop()
        if ($total -ne $FileMiB * 1MB) { throw "Read $total bytes of $($FileMiB * 1MB)" }
        $watch.Elapsed.TotalSeconds
    } finally { $client.Dispose() }
}

try {
    $cycles = [ordered]@{
        'conman -Network none'  = { $c = New-Container -RootFs $RootFs -Network none -Command true; Start-Container -Id $c.Id; $null = Wait-Container -Id $c.Id; Remove-Container -Id $c.Id }
        'podman --network none' = { $null = Invoke-Quietly podman (@('run', '--rm') + $podmanArguments + @('--network', 'none', '--rootfs', $RootFs, 'true')) }
        'conman (default network)' = { $c = New-Container -RootFs $RootFs -Command true; Start-Container -Id $c.Id; $null = Wait-Container -Id $c.Id; Remove-Container -Id $c.Id }
        'podman --network bridge' = { $null = Invoke-Quietly podman (@('run', '--rm') + $podmanArguments + @('--network', 'bridge', '--rootfs', $RootFs, 'true')) }
    }
    $cycleRows = Measure-Interleaved -Cycles $cycles -Iterations $Iterations -Warmup $Warmup | Select-Object Manager, Cycles, MedianMs

    # Throughput: busybox httpd in the container serving a file from a read-only volume, fetched
    # from the host through 127.0.0.1 and the published port (portmap's DNAT for both managers).
    $www = Join-Path $work 'www'
    New-Item -ItemType Directory -Path $www | Out-Null
    Set-Content (Join-Path $www 'ready.txt') 'ready'
    $file = [System.IO.File]::Create((Join-Path $www 'large.bin'))
    $chunk = [byte[]]::new(1MB); [System.Random]::new(7).NextBytes($chunk)
    foreach ($i in 1..$FileMiB) { $file.Write($chunk, 0, $chunk.Length) }
    $file.Dispose()
    $conmanPort = Get-FreePort
    New-Container -RootFs $RootFs -Name bench-web -Publish "127.0.0.1:${conmanPort}:80" -Volume "${www}:/www:ro" -Command httpd, -f, -p, 80, -h, /www |
        Start-Container
    $podmanPort = Get-FreePort
    $podmanId = (Invoke-Quietly podman (@('run', '-d') + $podmanArguments + @('--network', 'bridge', '-p', "127.0.0.1:${podmanPort}:80",
        '-v', "${www}:/www:ro", '--rootfs', $RootFs, 'httpd', '-f', '-p', '80', '-h', '/www'))).Trim()
    try {
        $seconds = @{ conman = [System.Collections.Generic.List[double]]::new(); podman = [System.Collections.Generic.List[double]]::new() }
        foreach ($round in 1..$Transfers) {
            $seconds.conman.Add((Measure-Fetch "http://127.0.0.1:$conmanPort"))
            $seconds.podman.Add((Measure-Fetch "http://127.0.0.1:$podmanPort"))
        }
    } finally {
        $null = Invoke-Quietly podman @('rm', '-f', $podmanId)
        Remove-Container bench-web -Force
    }
    $throughputRows = foreach ($manager in 'conman', 'podman') {
        $median = Get-UpperMedian $seconds[$manager]
        [pscustomobject]@{ Manager = $manager; MiB = $FileMiB; Transfers = $Transfers; MedianSeconds = [math]::Round($median, 3); MiBPerSecond = [math]::Round($FileMiB / $median, 0) }
    }
    [pscustomobject]@{ Cycles = $cycleRows; Throughput = $throughputRows }
} finally {
    Get-Container | Remove-Container -Force
    Get-ContainerNetwork | Remove-ContainerNetwork -Force
    Remove-ConmanRoot $env:CONMAN_ROOT
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
