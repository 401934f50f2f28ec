<#
.SYNOPSIS
    A scripted tour of Conman: an image built from busybox-static and imported, containers
    created from it, started with output streamed, listed as a table, logs read, a web server on a
    published port and containers finding each other by name on a network, stopped and removed. Runs unattended (CI too) in a temporary root.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$work = Join-Path ([IO.Path]::GetTempPath()) "conman-demo-$PID"
$layout = Join-Path $work 'busybox-layout'
$env:CONMAN_ROOT = Join-Path $work 'root'

function Step([string] $text) { Write-Host "`n== $text" -ForegroundColor Cyan }
function Show([string] $command) {
    Write-Host "PS> $command" -ForegroundColor Yellow
    Invoke-Expression $command | Out-Host
}

try {
    Step 'An OCI image built from busybox-static (any image layout, OCI archive or docker save archive will do)'
    Import-Module (Join-Path $PSScriptRoot '../build/OciImage.psm1')
    New-BusyboxImageLayout -Path $layout -Name 'busybox:demo' | Out-Null
    Write-Host "OCI image layout at $layout"

    Step 'Import it into the store; list it'
    Show "Import-ContainerImage -Path '$layout'"
    Show '(Get-ContainerImage busybox:demo).Layers | Format-Table Digest, Size, UnpackedSize'

    Step 'Create containers from the image'
    Show "New-Container -Image busybox:demo -Name hello -Command sh,-c,'echo Hello from `$(hostname); echo a warning >&2; exit 3' -Hostname demo"
    Show "New-Container -Image busybox:demo -Name ticker -Command sh,-c,'for i in 1 2 3 4 5; do echo tick `$i; sleep 0.2; done' -Label @{ app = 'demo' }"
    Show "New-Container -Image busybox:demo -Name server -Command sleep,3600 -Label @{ app = 'demo' }"

    Step 'Start one attached: stdout to the pipeline, stderr to the error stream, $LASTEXITCODE set'
    Show 'Start-Container -Name hello -Attach -ErrorAction Continue 2>&1; "LASTEXITCODE = $LASTEXITCODE"'

    Step 'Start the others in the background and list them'
    Show 'Start-Container -Name ticker, server'
    Show 'Get-Container'
    Show 'Get-Container -Label app=demo -State Running | Select-Object Name, Pid, StartedAt'

    Step 'Follow a log until the container exits'
    Show 'Get-ContainerLog -Name ticker -Follow'

    Step 'Pipeline input to a container''s stdin, like docker run --rm -i'
    Show '1..1000 | Invoke-Container -Image busybox:demo -Command wc,-l'

    Step 'A web server on a published port, fetched from the host (a free port on 127.0.0.1 is chosen)'
    $www = New-Item -ItemType Directory -Path (Join-Path $work 'www')
    Set-Content (Join-Path $www 'index.html') 'Hello from a container on a published port'
    Show "`$script:web = New-Container -Image busybox:demo -Name web -Publish 127.0.0.1::80 -Volume '${www}:/www:ro' -Command httpd,-f,-p,80,-h,/www | Start-Container -PassThru | Wait-ContainerReady -Port 80 -PassThru"
    Show '$web | Format-Table Name, IPAddress, PortSummary'
    Show '(Invoke-WebRequest "http://127.0.0.1:$(($web.Ports | Where-Object ContainerPort -EQ 80).HostPort)/").Content'

    Step 'A network of its own: its containers find each other by name'
    Show 'New-ContainerNetwork -Name demo-net'
    Show "New-Container -Image busybox:demo -Name api -Network demo-net -Volume '${www}:/www:ro' -Command httpd,-f,-p,80,-h,/www | Start-Container"
    Show 'Invoke-Container -Image busybox:demo -Network demo-net -Command wget,-qO-,http://api/'

    Step 'A user namespace of its own (podman --userns=auto): root inside, an unprivileged range of host ids outside'
    Show "`$script:mapped = New-Container -Image busybox:demo -Name mapped -UserNs auto -Command sleep,3600 | Start-Container -PassThru"
    Show '$mapped.UidMap; Invoke-ContainerCommand -Name mapped -Command id'
    Show '(Get-Content "/proc/$($mapped.Pid)/status" | Select-String "^Uid").Line'

    Step 'Stop (SIGTERM, then SIGKILL after the timeout) and inspect'
    Show 'Stop-Container -Name server -Timeout 1 -PassThru | Format-List Name, State, ExitCode, Signal, FinishedAt'
    Show 'Get-Container'

    Step 'Remove everything: an image is kept while containers use it'
    Show 'Remove-ContainerImage busybox:demo -ErrorAction Continue'
    Show 'Get-Container | Remove-Container -Force'
    Show 'Get-ContainerNetwork | Remove-ContainerNetwork'
    Show 'Remove-ContainerImage busybox:demo; Get-ContainerImage'
    Show 'Get-Container'
    Write-Host "`nDone." -ForegroundColor Green
} finally {
    Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    # Bridges are the host's: they would outlive the demo's root.
    Get-ContainerNetwork -ErrorAction SilentlyContinue | Remove-ContainerNetwork -Force -ErrorAction SilentlyContinue
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
