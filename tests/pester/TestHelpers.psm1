# Shared by the Pester suite: a busybox root filesystem, a fresh $env:CONMAN_ROOT per test, and
# cleanup that removes every container of that root even when the test failed.

$script:ModulePath = $env:CONMAN_TEST_MODULE

function Get-ConmanModulePath { $script:ModulePath }

function New-TestRootFs {
    <# A busybox root filesystem in a new temporary folder (build/New-BusyboxRootFs.ps1). #>
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "conman-rootfs-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    & (Join-Path $PSScriptRoot '../../build/New-BusyboxRootFs.ps1') -Path $path
}

function Enter-TestRoot {
    <# Points $env:CONMAN_ROOT at a new temporary folder and returns it. #>
    $root = Join-Path ([System.IO.Path]::GetTempPath()) "conman-test-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
    New-Item -ItemType Directory -Path $root | Out-Null
    $env:CONMAN_ROOT = $root
    $root
}

function Get-TestRunFolder {
    <# The root's run folder (sockets, runc state), as the engine names it. #>
    [Conman.Engine.StoreLayout]::new($env:CONMAN_ROOT).RunFolder
}

function Exit-TestRoot {
    <# Removes every container of the current test root, then the root itself. #>
    if (-not $env:CONMAN_ROOT) { return }
    Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    Remove-Item $env:CONMAN_ROOT -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item (Get-TestRunFolder) -Recurse -Force -ErrorAction SilentlyContinue
    $env:CONMAN_ROOT = $null
}

function Invoke-ChildPwsh {
    <#
    Runs a script in a separate pwsh with the module imported and this test's root, and returns
    the started process (stdout and stderr redirected, so it never touches the terminal).
    #>
    param([Parameter(Mandatory)] [string] $Script, [switch] $NoWait, [string[]] $Prefix = @())
    $pwsh = Join-Path $PSHOME 'pwsh'
    $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModulePath'; $Script"
    $start = [System.Diagnostics.ProcessStartInfo]::new()
    if ($Prefix) {
        $start.FileName = $Prefix[0]
        foreach ($a in $Prefix[1..($Prefix.Count)]) { if ($a) { $start.ArgumentList.Add($a) } }
        $start.ArgumentList.Add($pwsh)
    } else {
        $start.FileName = $pwsh
    }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $full) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['CONMAN_ROOT'] = $env:CONMAN_ROOT
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    if ($NoWait) { return $process }
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
}

function Invoke-Concurrently {
    <# Runs the same script in several child sessions at once; returns each one's trimmed output. #>
    param([Parameter(Mandatory)] [string] $Script, [int] $Sessions = 2)
    $children = 1..$Sessions | ForEach-Object { Invoke-ChildPwsh -NoWait -Script $Script }
    foreach ($child in $children) {
        $out = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        $out.Trim()
    }
}

function Wait-Until {
    <# Polls a condition, failing the test with -Because after -Timeout seconds. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Timeout = 20, [string] $Because = 'the condition held')
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Timeout s waiting until $Because" }
        Start-Sleep -Milliseconds 50
    }
}

function Get-ShimProcessCount {
    <# Shims serving this test's root (their command line names it). #>
    param([string] $Root = $env:CONMAN_ROOT)
    @(Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | Where-Object {
        $cmdline = Get-Content "/proc/$($_.Name)/cmdline" -Raw -ErrorAction SilentlyContinue
        $cmdline -and $cmdline.StartsWith((Join-Path (Split-Path $script:ModulePath) 'conman-shim')) -and $cmdline.Contains($Root)
    }).Count
}

function Test-ProcessRunning {
    <# True while the process exists and is not a zombie (the sandbox's pid 1 reaps orphans slowly). #>
    param([int] $ProcessId)
    $stat = Get-Content "/proc/$ProcessId/stat" -Raw -ErrorAction SilentlyContinue
    if (-not $stat) { return $false }
    $stat.Substring($stat.LastIndexOf(')') + 2, 1) -ne 'Z'
}

function Get-MountCount {
    param([string] $Root = $env:CONMAN_ROOT)
    @(Get-Content /proc/self/mountinfo | Where-Object { $_.Contains($Root) }).Count
}

Export-ModuleMember -Function *
