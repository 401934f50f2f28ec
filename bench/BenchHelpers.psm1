# Shared by the benchmark scripts.

function Get-StoreLayout([Parameter(Mandatory)] [string] $Root) {
    <# Where the engine keeps a root's files (its internal StoreLayout, made by reflection). #>
    $type = [Conman.Engine.ContainerEngine].Assembly.GetType('Conman.Engine.StoreLayout', $true)
    [Activator]::CreateInstance($type, [object[]]@($Root))
}

function Read-StoreRecord([Parameter(Mandatory)] [string] $Type, [Parameter(Mandatory)] [string] $Path) {
    <# A record of the store (RunRecord, ExitRecord: Conman.Protocol's internal classes, found by reflection). #>
    $record = [Conman.Engine.ContainerEngine].Assembly.GetReferencedAssemblies() |
        Where-Object Name -eq 'Conman.Protocol' | ForEach-Object { [System.Reflection.Assembly]::Load($_).GetType("Conman.Protocol.$Type", $true) }
    $record.GetProperty('Parser').GetValue($null).ParseFrom([System.IO.File]::ReadAllBytes($Path))
}

function New-RuncBundle {
    <#
    A bundle for running runc directly, beside Conman, on the same terms: the OCI spec Conman
    derives for a container at its start (taken from a template container run once), running
    -Command over the root filesystem folder itself (read-only, no overlay).
    #>
    param(
        [Parameter(Mandatory)] [string] $RootFs,
        [Parameter(Mandatory)] [string] $Destination,
        [Parameter(Mandatory)] [string] $CgroupsPath,
        [string[]] $Command = @('true'),
        [switch] $Tty
    )
    New-Item -ItemType Directory -Path $Destination | Out-Null
    # No network, as the Conman rows runc stands beside (-Network none).
    $template = New-Container -RootFs $RootFs -Network none -Command true -Tty:$Tty -Interactive:$Tty
    $null = Start-Container -Id $template.Id -Attach
    $layout = Get-StoreLayout $env:CONMAN_ROOT
    $spec = Get-Content $layout.SpecPath($template.Id) -Raw | ConvertFrom-Json
    Remove-Container -Id $template.Id
    # What went with the template: its network namespace (runc makes a new one, loopback only, as
    # before Conman made its own) and its /etc files, which lived in its folder.
    foreach ($namespace in $spec.linux.namespaces) { if ($namespace.type -eq 'network') { $namespace.PSObject.Properties.Remove('path') } }
    $folder = $layout.ContainerFolder($template.Id)
    $spec.mounts = @($spec.mounts | Where-Object { -not ([string] $_.source).StartsWith("$folder/") })
    $spec.process.args = $Command
    $spec.root.path = $RootFs
    $spec.root.readonly = $true
    $spec.linux.cgroupsPath = $CgroupsPath
    $spec | ConvertTo-Json -Depth 20 | Set-Content (Join-Path $Destination 'config.json')
    $Destination
}


function Invoke-Quietly {
    <# Runs a command with its stdio redirected (so that it cannot touch the terminal), throws on a non-zero exit, returns its stdout. #>
    param([string] $File, [string[]] $Arguments)
    $start = [System.Diagnostics.ProcessStartInfo]::new($File)
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $start.RedirectStandardOutput = $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    $out = $process.StandardOutput.ReadToEndAsync(); $null = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) { throw "$File $($Arguments -join ' ') exited with $($process.ExitCode)" }
    $out.Result
}

function Wait-Settled {
    <#
    Waits (at most 5 s) until no podman or conmon process is left, then 50 ms more: podman's cleanup
    process goes on after `podman run` returns, and each timed cycle starts on a settled machine.
    #>
    $deadline = [DateTime]::UtcNow.AddSeconds(5)
    while ((Get-Process -Name podman, conmon -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    Start-Sleep -Milliseconds 50
}

function Get-Median {
    <# The median: the middle value, or the mean of the two middle ones of an even count. #>
    param([double[]] $Values)
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

function Get-UpperMedian {
    <# The middle value; of an even count, the upper of the two middle ones: how the cycle, pull and load rows have always been taken. #>
    param([double[]] $Values)
    ($Values | Sort-Object)[[int][math]::Floor($Values.Count / 2)]
}

function Measure-Seconds {
    <# Seconds an action takes, its output dropped, to the millisecond. #>
    param([scriptblock] $Action)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Action | Out-Null
    [math]::Round($watch.Elapsed.TotalSeconds, 3)
}

function Measure-Interleaved {
    <#
    Times each named cycle once per round, the cycles in turn within a round, after -Warmup rounds
    that are not kept, each on a settled machine (Wait-Settled); returns a row per cycle, in their
    order: Manager, Cycles, MedianMs, MinMs, MaxMs.
    #>
    param([Parameter(Mandatory)] [System.Collections.Specialized.OrderedDictionary] $Cycles, [int] $Iterations, [int] $Warmup)
    $times = @{}
    foreach ($name in $Cycles.Keys) { $times[$name] = [System.Collections.Generic.List[double]]::new() }
    foreach ($round in 1..($Warmup + $Iterations)) {
        foreach ($name in $Cycles.Keys) {
            # podman leaves a cleanup process (conmon runs `podman container cleanup`) working
            # after `podman run` returns: each cycle starts on a settled machine, not inside it.
            Wait-Settled
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            & $Cycles[$name]
            $watch.Stop()
            if ($round -gt $Warmup) { $times[$name].Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    foreach ($name in $Cycles.Keys) {
        $sorted = $times[$name] | Sort-Object
        [pscustomobject]@{
            Manager = $name; Cycles = $sorted.Count; MedianMs = [math]::Round((Get-UpperMedian $sorted), 1)
            MinMs = [math]::Round($sorted[0], 1); MaxMs = [math]::Round($sorted[-1], 1)
        }
    }
}

function Remove-ConmanRoot {
    <#
    Removes a benchmark's Conman root and the run folder the engine keeps for it under
    /run/conman (sockets, runc state), which the engine itself never removes.
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $run = (Get-StoreLayout $Root).RunFolder
    Remove-Item $Root, $run -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Get-StoreLayout, Read-StoreRecord, New-RuncBundle, Remove-ConmanRoot, Invoke-Quietly, Wait-Settled, Measure-Interleaved, Get-Median, Get-UpperMedian, Measure-Seconds
