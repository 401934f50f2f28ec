BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Endurance' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It '1000 create/start/remove cycles leave no mount, process, descriptor, socket or folder behind' {
        # The runtime maps assemblies lazily (System.IO.Pipelines came as late as cycle 200), so a few
        # warm-up cycles prove nothing. Descriptors are compared late instead, after cycle 500 and after
        # cycle 1000: the same count, where a leak of one a cycle would show as 500 more. Get-Residue
        # collects garbage and runs finalizers before it counts, and leaves out the assemblies .NET and
        # PowerShell map from their own folders (PowerShell mapped one after cycle 500).
        $halfway = $null
        foreach ($i in 1..1000) {
            # With a named volume each cycle shares and an anonymous one it makes and removes (docker rm -v).
            $c = New-Container $RootFs -Volume cycles:/data, /scratch -Command true
            Start-Container -Id $c.Id
            $null = Wait-Container -Id $c.Id
            Remove-Container -Id $c.Id -Volumes
            if ($i -eq 500) { $halfway = Get-Residue }
        }
        $after = Get-Residue
        Assert-NoResidue -Residue $after
        (Get-ContainerVolume).Name | Should -Be 'cycles'
        $after.Descriptors | Should -Be $halfway.Descriptors -Because 'descriptors do not grow from cycle 500 to cycle 1000'
    }

    It '20 concurrent sessions on overlapping names: no lost or corrupted record, every failure a clear error' {
        $script = @"
foreach (`$i in 1..8) {
    `$name = "shared-`$(`$i % 4)"
    try {
        New-Container '$RootFs' -Name `$name -Volume shared-data:/data -Command sleep, 30 | Out-Null
        Start-Container -Name `$name
        Stop-Container -Name `$name -Force
        Remove-Container -Name `$name
        'ok'
    } catch {
        Write-ErrorReport `$_
    }
}
"@
        $results = Invoke-Concurrently -Script $script -Sessions 20
        $lines = $results -split "`n" | ForEach-Object Trim | Where-Object { $_ }
        # Every failure is one of the clear errors that overlapping names make.
        $known = 'ContainerNameInUse', 'ContainerNotFound', 'ContainerAlreadyRunning', 'ContainerRunning', 'ContainerNotRunning', 'LockTimeout'
        foreach ($record in ($lines | ConvertFrom-ErrorReport)) { Assert-ConmanError -Record $record -ErrorId $known | Out-Null }
        @($lines | Where-Object { $_ -eq 'ok' }).Count | Should -BeGreaterThan 0
        # Every record left is whole and consistent; Remove-Container -Force cleans all of them.
        $left = Get-Container
        foreach ($c in $left) { $c.Name | Should -Match '^shared-[0-3]$'; $c.State | Should -BeIn 'Created', 'Running', 'Exited' }
        ($left.Name | Sort-Object -Unique).Count | Should -Be @($left).Count
        $left | Remove-Container -Force
        (Get-Residue).Shims | Should -Be 0
        # Made once, whichever session came first, and kept.
        (Get-ContainerVolume).Name | Should -Be 'shared-data'
    }

    It 'runc killed in the middle of create: a clear error, the container stays Created, nothing is left running' {
        $wrapper = Join-Path $Root 'runc-killed'
        $runc = (Get-Command runc).Source
        # Starts the real runc create (or run), then kills it as soon as it has made the
        # container's state folder: mid-create, whatever the machine's speed (a fixed delay
        # sometimes let a warm runc finish first).
        Set-Content $wrapper @"
#!/bin/sh
case " `$* " in
*' create '*|*' run '*)
    '$runc' "`$@" & pid=`$!
    prev=; for arg in "`$@"; do [ "`$prev" = --root ] && root=`$arg; prev=`$arg; id=`$arg; done
    while kill -0 `$pid 2>/dev/null && [ ! -d "`$root/`$id" ]; do sleep 0.001; done
    kill -9 `$pid; wait `$pid; exit `$?;;
esac
exec '$runc' "`$@"
"@
        & chmod +x $wrapper
        New-Container $RootFs -Name killed -Command sleep, 30 | Out-Null
        $env:CONMAN_RUNTIME = $wrapper
        try {
            Assert-ConmanError { Start-Container -Name killed -ErrorAction Stop } 'ContainerCreateFailed,Conman.Cmdlets.StartContainerCommand' InvalidResult
        } finally {
            Remove-Item Env:CONMAN_RUNTIME
        }
        (Get-Container killed).State | Should -Be Created
        $residue = Get-Residue
        $residue.Shims | Should -Be 0
        $residue.Mounts | Should -Be 0
        # The real runc starts it afterwards.
        Start-Container -Name killed
        (Get-Container killed).State | Should -Be Running
    }

    It 'the log''s file system full: the container runs to its end and its exit is recorded' {
        $small = Join-Path $Root 'small'
        New-Item -ItemType Directory $small | Out-Null
        & mount -t tmpfs -o size=1m,mode=0700 tmpfs $small
        try {
            $env:CONMAN_ROOT = $small
            New-Container $RootFs -Name flood -Command sh, -c, 'seq 1 300000; echo done; exit 3' | Out-Null
            Start-Container -Name flood
            $done = Wait-Container -Name flood -Timeout 60
            $done.State | Should -Be Exited
            $done.ExitCode | Should -Be 3
            # What the log could not take is counted, not hidden.
            $done.LostLogBytes | Should -BeGreaterThan 0
            Remove-Container -Name flood
        } finally {
            $env:CONMAN_ROOT = $Root
            & umount -l $small
        }
    }
}

Describe 'A session killed while attached' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'pwsh killed -9 during Enter-Container: the container keeps running, and a new session in that terminal works' {
        New-Container $RootFs -Name entered -Tty -Interactive -Command sh | Out-Null
        # A second pwsh starts in the same terminal once the first is gone.
        $session = Start-TmuxPwsh -Respawn
        Send-TmuxLine $session 'Enter-Container -Name entered'
        Wait-TmuxScreen $session '^/ # ?$' | Out-Null
        $shell = Get-TmuxPanePid $session
        $first = Get-Process | Where-Object { $_.Parent.Id -eq $shell } | Select-Object -First 1
        $first | Should -Not -BeNullOrEmpty
        Stop-Process -Id $first.Id -Force
        Wait-Until { (Get-Process | Where-Object { $_.Parent.Id -eq $shell -and $_.Id -ne $first.Id }) } -Because 'the second pwsh started'
        # Its prompt, not a fixed pause, says it is ready for the line.
        Initialize-TmuxPwsh $session
        # Clear-Host first: the killed pwsh left the terminal raw, and output starts where the cursor is.
        Send-TmuxLine $session "Clear-Host; 'state:' + (Get-Container entered).State"
        Wait-TmuxScreen $session '^state:Running' -Timeout 30 | Out-Null
        (Get-Container entered).State | Should -Be Running
    }
}
