BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Faults' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'the starting pwsh killed -9: the container keeps running and logging, and a new session can stop it' {
        $child = Invoke-ChildPwsh -NoWait -Script "New-Container '$RootFs' -Name survivor -Command sh,-c,'i=0; while true; do i=`$((i+1)); echo tick `$i; sleep 0.1; done' | Start-Container -Attach"
        try {
            Wait-Until { (Get-Container survivor -ErrorAction SilentlyContinue).State -eq 'Running' } -Because 'the child started it'
            Start-Sleep -Milliseconds 300
        } finally {
            # Killed here whether or not it started the container, so that no child outlives the test.
            $child.Kill()
            $child.WaitForExit()
        }
        $before = @(Get-ContainerLog -Name survivor).Count
        Start-Sleep -Milliseconds 800
        (Get-Container survivor).State | Should -Be Running
        @(Get-ContainerLog -Name survivor).Count | Should -BeGreaterThan $before
        (Stop-Container -Name survivor -Timeout 1 -PassThru).State | Should -Be Exited
    }

    It 'the shim killed -9: the container is Unknown with a reason, and Remove-Container -Force cleans everything' {
        $c = New-Container $RootFs -Name orphan -Command sleep, 60
        Start-Container -Name orphan
        $initPid = (Get-Container orphan).Pid
        $shimPid = [int]((Get-Content /proc/$initPid/stat) -split ' ')[3]
        Stop-Process -Id $shimPid -Force
        Wait-Until { (Get-Container orphan).State -eq 'Unknown' } -Because 'the shim is gone'
        (Get-Container orphan).StateReason | Should -Match 'shim .* died without recording'
        Remove-Container -Name orphan -Force
        Get-Container | Should -BeNullOrEmpty
        Test-Path (Get-TestLayout).ContainerFolder($c.Id) | Should -BeFalse
        Assert-NoResidue
        # The container's own process is gone too.
        Test-ProcessRunning $initPid | Should -BeFalse
    }

    It 'the shim killed -9 in the middle of output: Unknown with a reason, the log kept so far readable, and Remove-Container -Force cleans up' {
        $c = New-Container $RootFs -Name cutoff -Command sh, -c, 'i=0; while true; do i=$((i+1)); echo line-$i; done'
        Start-Container -Name cutoff
        Wait-Until { (Get-Item $c.LogPath).Length -gt 1MB } -Because 'output is flowing'
        $initPid = (Get-Container cutoff).Pid
        $shimPid = [int]((Get-Content /proc/$initPid/stat) -split ' ')[3]
        Stop-Process -Id $shimPid -Force
        Wait-Until { (Get-Container cutoff).State -eq 'Unknown' } -Because 'the shim is gone'
        $log = Get-ContainerLog -Name cutoff -Tail 3
        $log.Count | Should -BeGreaterThan 0
        $log[-1].Text | Should -Match '^line-\d+'
        Remove-Container -Name cutoff -Force
        Test-ProcessRunning $initPid | Should -BeFalse
        Get-Container | Should -BeNullOrEmpty
        Assert-NoResidue
    }

    It 'SIGTERM sent to the shim is forwarded to the container' {
        New-Container $RootFs -Name forwarded -Command sh, -c, 'trap "exit 42" TERM; echo trapped; while true; do sleep 0.1; done' | Start-Container
        # As pid 1 without a handler, sh would ignore the signal: wait for the trap, not a fixed time.
        Wait-LoggedLine forwarded trapped
        $shimPid = [int]((Get-Content /proc/$((Get-Container forwarded).Pid)/stat) -split ' ')[3]
        & kill -TERM $shimPid
        (Wait-Container -Name forwarded -Timeout 10).ExitCode | Should -Be 42
    }

    It 'two sessions removing the same container at once: one wins, the other gets a clear error' {
        New-Container $RootFs -Name contested -Command sleep, 60 | Start-Container
        $script = "try { Remove-Container -Name contested -Force; 'removed' } catch { Write-ErrorReport `$_ }"
        $results = Invoke-Concurrently -Script $script -Sessions 2
        @($results | Where-Object { $_ -eq 'removed' }).Count | Should -Be 1
        $errors = @($results | ConvertFrom-ErrorReport)
        $errors.Count | Should -Be 1
        Assert-ConmanError -Record $errors[0] -ErrorId ContainerNotFound -Category ObjectNotFound -Target contested
        Get-Container | Should -BeNullOrEmpty
        Assert-NoResidue
    }

    It 'two sessions starting the same container at once: one wins, the other gets a clear error' {
        New-Container $RootFs -Name raced -Command sleep, 60 | Out-Null
        $script = "try { Start-Container -Name raced; 'started' } catch { Write-ErrorReport `$_ }"
        $results = Invoke-Concurrently -Script $script -Sessions 2
        @($results | Where-Object { $_ -eq 'started' }).Count | Should -Be 1
        $errors = @($results | ConvertFrom-ErrorReport)
        $errors.Count | Should -Be 1
        Assert-ConmanError -Record $errors[0] -ErrorId ContainerAlreadyRunning -Category InvalidOperation -Target raced
        (Get-Container raced).State | Should -Be Running
        (Get-Residue).Shims | Should -Be 1
    }

    It 'a container that exits at once: its output is complete through -Attach and in the log' {
        foreach ($i in 1..10) {
            $name = "quick$i"
            New-Container $RootFs -Name $name -Command sh, -c, 'echo first; echo second; echo third' | Out-Null
            Start-Container -Name $name -Attach | Should -Be @('first', 'second', 'third')
            (Get-ContainerLog -Name $name).Text | Should -Be @('first', 'second', 'third')
        }
    }

    It '100 000 lines of output all arrive, in order, through -Attach and in the log' {
        New-Container $RootFs -Name flood -Command seq, 1, 100000 | Out-Null
        $lines = Start-Container -Name flood -Attach
        $lines.Count | Should -Be 100000
        $expected = 1..100000 | ForEach-Object ToString
        [System.Linq.Enumerable]::SequenceEqual([string[]] $lines, [string[]] $expected) | Should -BeTrue
        $log = (Get-ContainerLog -Name flood).Text
        [System.Linq.Enumerable]::SequenceEqual([string[]] $log, [string[]] $expected) | Should -BeTrue
    }

    It 'a client that never reads does not stall the container or the log' {
        # Without a bound, so that the log holds every line of the 90 MiB to count (LogBounds.Tests.ps1 tests the bound).
        $c = New-Container $RootFs -Name noisy -LogMaxSize -1 -Command sh, -c, 'while [ ! -e /tmp/go ]; do sleep 0.05; done; seq 1 2000000; echo done'
        Start-Container -Name noisy
        $layout = Get-TestLayout
        $socket = Get-Item $layout.SocketPath($c.Id) -ErrorAction SilentlyContinue
        $socket | Should -Not -BeNullOrEmpty
        $stalled = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        try {
            $stalled.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socket.FullName))
            # ShimFrame{attach{stdout: true}}, length-prefixed; then this client never reads.
            [void] $stalled.Send([byte[]](4, 0x0a, 2, 0x10, 1))
            Start-Sleep -Milliseconds 200
            # Seen through the overlay's merged view: lets the container start writing.
            New-Item -ItemType File (Join-Path $layout.MergedRootFs($c.Id) 'tmp/go') | Out-Null
            $elapsed = Measure-Command { $done = Wait-Container -Name noisy -Timeout 60 }
            $done.ExitCode | Should -Be 0
            (Get-ContainerLog -Name noisy -Tail 1).Text | Should -Be 'done'
            # Whole lines only: a line split across reads is one P entry and one F entry.
            [int](& grep -c ' stdout F ' $c.LogPath) | Should -Be 2000001
            Write-Host "2 000 001 lines logged past a stalled client in $([int]$elapsed.TotalMilliseconds) ms"
        } finally {
            $stalled.Dispose()
        }
    }
}
