<#
.SYNOPSIS
    A scripted tour of Conman: containers created, started with output streamed, listed as a
    table, logs read, stopped and removed. Runs unattended (CI too) in a temporary root.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$work = Join-Path ([IO.Path]::GetTempPath()) "conman-demo-$PID"
$rootFs = Join-Path $work 'rootfs'
$env:CONMAN_ROOT = Join-Path $work 'root'

function Step([string] $text) { Write-Host "`n== $text" -ForegroundColor Cyan }
function Show([string] $command) {
    Write-Host "PS> $command" -ForegroundColor Yellow
    Invoke-Expression $command | Out-Host
}

try {
    Step 'A root filesystem from busybox-static (any folder with a Linux userland will do)'
    & (Join-Path $PSScriptRoot '../build/New-BusyboxRootFs.ps1') -Path $rootFs | Out-Null
    Write-Host "rootfs at $rootFs"

    Step 'Create containers'
    Show "New-Container -RootFs '$rootFs' -Name hello -Command sh,-c,'echo Hello from `$(hostname); echo a warning >&2; exit 3' -Hostname demo"
    Show "New-Container -RootFs '$rootFs' -Name ticker -Command sh,-c,'for i in 1 2 3 4 5; do echo tick `$i; sleep 0.2; done' -Label @{ app = 'demo' }"
    Show "New-Container -RootFs '$rootFs' -Name server -Command sleep,3600 -Label @{ app = 'demo' }"

    Step 'Start one attached: stdout to the pipeline, stderr to the error stream, $LASTEXITCODE set'
    Show 'Start-Container -Name hello -Attach -ErrorAction Continue 2>&1; "LASTEXITCODE = $LASTEXITCODE"'

    Step 'Start the others in the background and list them'
    Show 'Start-Container -Name ticker, server'
    Show 'Get-Container'
    Show 'Get-Container -Label app=demo -State Running | Select-Object Name, Pid, StartedAt'

    Step 'Follow a log until the container exits'
    Show 'Get-ContainerLog -Name ticker -Follow'

    Step 'Pipeline input to a container''s stdin, like docker run --rm -i'
    Show "1..1000 | Invoke-Container -RootFs '$rootFs' -Command wc,-l"

    Step 'Stop (SIGTERM, then SIGKILL after the timeout) and inspect'
    Show 'Stop-Container -Name server -Timeout 1 -PassThru | Format-List Name, State, ExitCode, Signal, FinishedAt'
    Show 'Get-Container'

    Step 'Remove everything'
    Show 'Get-Container | Remove-Container -Force'
    Show 'Get-Container'
    Write-Host "`nDone." -ForegroundColor Green
} finally {
    Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
