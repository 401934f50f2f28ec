BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile

    function Get-RunStarts([string] $Name) {
        <# When each run logged its 'run' line: the log goes on across runs. #>
        @(Get-ContainerLog -Name $Name | Where-Object Text -eq 'run').Timestamp
    }
}
AfterAll { Complete-TestFile }

# Restart policies, carried out by the container's own shim with no daemon.
Describe 'Restart policies' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'OnFailure restarts a crashing command with Docker''s backoff, MaximumRetryCount times' {
        $c = New-Container $RootFs -Name crash -RestartPolicy OnFailure -MaximumRetryCount 3 -Command sh, -c, 'echo run; exit 3'
        $c.RestartPolicy | Should -Be OnFailure
        $c.MaximumRetryCount | Should -Be 3
        Start-Container -Name crash
        Wait-Until { (Get-Container crash).State -eq 'Exited' } -Because 'its retries ran out'
        $crash = Get-Container crash
        $crash.RestartCount | Should -Be 3
        $crash.ExitCode | Should -Be 3
        $crash.StopRequested | Should -BeFalse
        $starts = Get-RunStarts crash
        $starts.Count | Should -Be 4
        # Each wait at least Docker's delay: 100 ms, then 200, then 400 (runc's start adds to each).
        foreach ($i in 1..3) {
            ($starts[$i] - $starts[$i - 1]).TotalMilliseconds | Should -BeGreaterOrEqual (100 * [math]::Pow(2, $i - 1) - 5)
        }
    }

    It 'a success ends OnFailure and No never restarts' {
        New-Container $RootFs -Name fine -RestartPolicy OnFailure -Command sh, -c, 'echo run' | Start-Container
        New-Container $RootFs -Name never -Command sh, -c, 'echo run; exit 1' | Start-Container
        foreach ($name in 'fine', 'never') {
            $done = Wait-Container -Name $name
            $done.State | Should -Be Exited
            $done.RestartCount | Should -Be 0
            @(Get-RunStarts $name).Count | Should -Be 1
        }
    }

    It 'refuses what could never restart: a retry count without OnFailure, Invoke-Container without -Keep' {
        Assert-ConmanError { New-Container $RootFs -Name bad -RestartPolicy Always -MaximumRetryCount 2 -ErrorAction Stop } InvalidRestartPolicy InvalidArgument
        Assert-ConmanError { Invoke-Container $RootFs -RestartPolicy Always -Command true -ErrorAction Stop } RestartPolicyWithoutKeep InvalidArgument Always
        @(Get-Container).Count | Should -Be 0
        Invoke-Container $RootFs -Name kept -RestartPolicy OnFailure -Keep -Command sh, -c, 'echo run' | Should -Be 'run'
        (Get-Container kept).RestartPolicy | Should -Be OnFailure
    }

    It 'Always restarts after a clean exit, and a stop through Conman never restarts it' {
        New-Container $RootFs -Name svc -RestartPolicy Always -Command sh, -c, 'echo run; sleep 0.2' | Start-Container
        Wait-Until { (Get-Container svc).RestartCount -ge 2 } -Because 'it ran three times'
        $stopped = Stop-Container -Name svc -Timeout 0 -PassThru
        $stopped.State | Should -Be Exited
        $stopped.StopRequested | Should -BeTrue
        $count = @(Get-RunStarts svc).Count
        Start-Sleep -Milliseconds 600
        (Get-Container svc).State | Should -Be Exited -Because 'a stop sticks'
        @(Get-RunStarts svc).Count | Should -Be $count
        # Started again by hand, it counts its restarts from 0 again, and its log goes on.
        Start-Container -Name svc
        Wait-Until { @(Get-RunStarts svc).Count -gt $count } -Because 'it ran again'
        (Get-Container svc).RestartCount | Should -BeLessThan 2
        Stop-Container -Name svc -Timeout 0
    }

    It 'Wait-Container and attached clients see each run''s end and that another follows' {
        New-Container $RootFs -Name flaky -RestartPolicy OnFailure -MaximumRetryCount 2 -Command sh, -c, 'echo run; sleep 0.3; exit 7' | Out-Null
        $out = Start-Container -Name flaky -Attach
        $out | Should -Be 'run' -Because 'an attached start returns at its run''s end'
        $LASTEXITCODE | Should -Be 7
        $waited = Wait-Container -Name flaky
        $waited.ExitCode | Should -Be 7
        # A run's end that another follows ends the wait with the container Restarting (docker wait).
        if ($waited.State -eq 'Running') {
            $waited.Restarting | Should -BeTrue
            $waited.Status | Should -Match '^Restarting \(7\) '
        }
        Wait-Until { (Get-Container flaky).State -eq 'Exited' } -Because 'its retries ran out'
        (Get-Container flaky).RestartCount | Should -Be 2
    }
}

# After a reboot (or every shim gone), one command brings back what the policies say.
Describe 'Restore-Container' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'brings back, after every shim was killed and everything unmounted, the containers whose policy says so' {
        foreach ($policy in 'Always', 'UnlessStopped', 'OnFailure', 'No') {
            New-Container $RootFs -Name $policy.ToLower() -RestartPolicy $policy -Command sleep, 300 | Start-Container
        }
        New-Container $RootFs -Name stopped -RestartPolicy UnlessStopped -Command sleep, 300 | Start-Container
        Stop-Container -Name stopped -Timeout 0
        $layout = Get-TestLayout
        # What a reboot does: every process gone (shims first, so that none records an exit), every mount and /run gone.
        $running = Get-Container | Where-Object State -eq Running
        foreach ($c in $running) {
            $shim = (Read-StoreRecord RunRecord $layout.RunPath($c.Id)).Shim.Pid
            Stop-Process -Id $shim -Force
        }
        foreach ($c in $running) { Stop-Process -Id $c.Pid -Force -ErrorAction SilentlyContinue }
        foreach ($c in Get-Container) { & umount -l $layout.MergedRootFs($c.Id) 2>$null }
        # The run folder goes but for the network namespaces: a reboot takes them together with the
        # host's firewall rules, which this test cannot empty; kept, they let the restore's undo of
        # the dead runs' networks find the addresses their NAT rules name.
        Get-ChildItem $layout.RunFolder -Force | Where-Object Name -NE 'netns' | Remove-Item -Recurse -Force
        Wait-Until { @(Get-Container | Where-Object State -eq Unknown).Count -eq 4 } -Because 'every running container lost its shim'

        $restored = @(Restore-Container)
        $restored.Name | Sort-Object | Should -Be @('always', 'onfailure', 'unlessstopped')
        foreach ($name in 'always', 'onfailure', 'unlessstopped') { (Get-Container $name).State | Should -Be Running }
        (Get-Container no).State | Should -Be Unknown
        (Get-Container stopped).State | Should -Be Exited
        # Nothing more to do a second time.
        @(Restore-Container).Count | Should -Be 0
    }

    It 'brings back an UnlessStopped container whose shim was told to end between two runs' {
        # As at a shutdown during a restart's backoff: SIGTERM to the shim cancels the next run,
        # but it is no stop asked for through Conman.
        New-Container $RootFs -Name crashing -RestartPolicy UnlessStopped -Command sh, -c, 'exit 1' | Start-Container
        # After the fifth restart the backoff is 3.2 s: time to find the shim between two runs.
        Wait-Until { $c = Get-Container crashing; $c.RestartCount -ge 5 -and $c.Restarting } -Because 'it crashed five times' -Timeout 30
        $shim = (Read-StoreRecord RunRecord (Get-TestLayout).RunPath((Get-Container crashing).Id)).Shim.Pid
        & kill -s TERM $shim
        Wait-Until { (Get-Container crashing).State -eq 'Exited' } -Because 'the shim ended without another run'
        (Get-Container crashing).StopRequested | Should -BeFalse
        @(Restore-Container).Name | Should -Be @('crashing')
    }
}

# docker run --init: catatonit as pid 1.
Describe 'Init' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'reaps orphans that the command never waits for, and passes the stop signal on' {
        # The subshell leaves its sleep to pid 1 and exits; a pid 1 that never waits leaves it a zombie.
        $orphan = 'sh', '-c', '(sleep 0.1 &); exec sleep 300'
        $zombies = 'sleep 0.5; n=0; for s in /proc/[0-9]*/stat; do case "$(cat $s)" in *") Z "*) n=$((n+1));; esac; done; echo $n'
        New-Container $RootFs -Name bare -Command $orphan | Start-Container
        $init = New-Container $RootFs -Name init -Init -Command $orphan | Start-Container -PassThru
        $init.Init | Should -BeTrue
        Invoke-ContainerCommand -Name bare -Command sh, -c, $zombies | Should -Be '1' -Because 'a bare sleep as pid 1 reaps nothing'
        Invoke-ContainerCommand -Name init -Command sh, -c, $zombies | Should -Be '0'
        Invoke-ContainerCommand -Name init -Command cat, /proc/1/cmdline | Should -Be "/dev/init`0--`0sh`0-c`0(sleep 0.1 &); exec sleep 300`0"
        # sleep has no SIGTERM handler, but it is not pid 1 here: the stop's SIGTERM ends it.
        (Stop-Container -Name init -Timeout 60 -PassThru).ExitCode | Should -Be 143
    }
}

# Health checks run by the shim, through exec, with Docker's states.
Describe 'Health checks' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'goes from Starting to Healthy to Unhealthy, with the checks'' output' {
        # The start period keeps the first failures from counting: it stays Starting until a check passes.
        $check = 'if [ -e /tmp/ok ]; then echo fine; else echo missing; exit 1; fi'
        $c = New-Container $RootFs -Name web -HealthCommand $check -HealthInterval 200ms -HealthTimeout 5s -HealthRetries 2 -HealthStartPeriod 1h `
            -Command sh, -c, 'sleep 1000'
        $c.HealthCheck.Command | Should -Be @('/bin/sh', '-c', $check)
        $c.HealthCheck.Interval | Should -Be ([TimeSpan]::FromMilliseconds(200))
        Start-Container -Name web
        Wait-Until { @((Get-Container web).Health.Log).Count -ge 2 } -Because 'two checks ran'
        $starting = Get-Container web
        $starting.Health.Status | Should -Be Starting
        $starting.Health.FailingStreak | Should -Be 0
        $starting.Status | Should -Match '\(health: starting\)$'
        $starting.Health.Log[-1].Output.Trim() | Should -Be 'missing'
        Invoke-ContainerCommand -Name web -Command touch, /tmp/ok
        Wait-Until { (Get-Container web).Health.Status -eq 'Healthy' } -Because 'the check passes now'
        $healthy = Get-Container web
        $healthy.Status | Should -Match '\(healthy\)$'
        $healthy.Health.Log[-1].ExitCode | Should -Be 0
        $healthy.Health.Log[-1].Output.Trim() | Should -Be 'fine'
        # Once healthy, the start period is over: two failures in a row make it unhealthy.
        Invoke-ContainerCommand -Name web -Command rm, /tmp/ok
        Wait-Until { (Get-Container web).Health.Status -eq 'Unhealthy' } -Because 'two checks in a row failed'
        $sick = Get-Container web
        $sick.Status | Should -Match '\(unhealthy\)$'
        $sick.Health.FailingStreak | Should -BeGreaterOrEqual 2
        $sick.State | Should -Be Running -Because 'without -HealthOnFailure nothing is done about it'
    }

    It 'a check past its timeout is killed and fails' {
        New-Container $RootFs -Name slow -HealthCommand 'sleep 30' -HealthInterval 100ms -HealthTimeout 300ms -HealthRetries 1 `
            -HealthStartPeriod 1h -Command sleep, 1000 | Start-Container
        Wait-Until { @((Get-Container slow).Health.Log).Count -ge 2 } -Because 'two checks timed out'
        $slow = Get-Container slow
        $slow.Health.Log[0].ExitCode | Should -Be -1
        $slow.Health.Log[0].Output | Should -Match 'exceeded timeout'
        $slow.Health.Status | Should -Be Starting -Because 'it is in its start period'
        $slow.Health.FailingStreak | Should -Be 0
    }

    It '-HealthOnFailure Kill ends the run and Restart runs it again' {
        New-Container $RootFs -Name killed -HealthCommand false -HealthInterval 100ms -HealthRetries 1 -HealthOnFailure Kill -Command sleep, 1000 | Start-Container
        $done = Wait-Container -Name killed -Timeout 30
        $done.ExitCode | Should -Be 137
        $done.StopRequested | Should -BeFalse
        New-Container $RootFs -Name again -HealthCommand false -HealthInterval 100ms -HealthRetries 1 -HealthOnFailure Restart `
            -Command sh, -c, "trap 'exit 0' TERM; echo run; while :; do sleep 0.05; done" | Start-Container
        Wait-Until { (Get-Container again).RestartCount -ge 1 } -Because 'the unhealthy run was stopped and run again'
        (Get-Container again).State | Should -Be Running
        # The run is counted when the shim starts it, before its first line reaches the log.
        Wait-Until { @(Get-ContainerLog -Name again | Where-Object Text -eq 'run').Count -ge 2 } -Because 'the second run wrote its line'
    }

    It '-HealthOnFailure Restart stops the run with the container''s stop signal' {
        # TERM is ignored: only USR1, its -StopSignal, ends the run before the 10 s grace would.
        New-Container $RootFs -Name signalled -StopSignal USR1 -HealthCommand false -HealthInterval 100ms -HealthRetries 1 -HealthOnFailure Restart `
            -Command sh, -c, "trap 'echo usr1; exit 0' USR1; trap '' TERM; while :; do sleep 0.05; done" | Start-Container
        Wait-Until -Timeout 8 { (Get-ContainerLog -Name signalled).Text -contains 'usr1' } -Because 'the restart sent USR1, not TERM'
        Wait-Until { (Get-Container signalled).RestartCount -ge 1 } -Because 'the run was started again'
    }

    It 'a stop through Conman while -HealthOnFailure Restart stops the run ends the container' {
        # The command ignores SIGTERM, so the health check's restart waits out its 10 s grace
        # period; Stop-Container comes within it, and wins.
        New-Container $RootFs -Name stubborn -HealthCommand false -HealthInterval 100ms -HealthRetries 1 -HealthOnFailure Restart `
            -Command sh, -c, "trap '' TERM; while :; do sleep 0.05; done" | Start-Container
        # health.pb says Unhealthy once the shim has asked for the restart (same turn of its loop).
        Wait-Until { (Get-Container stubborn).Health.Status -eq 'Unhealthy' } -Because 'the check failed'
        $stopped = Stop-Container -Name stubborn -Timeout 1 -PassThru -WarningAction SilentlyContinue
        $stopped.ExitCode | Should -Be 137
        $stopped.StopRequested | Should -BeTrue
        Start-Sleep -Milliseconds 500
        $after = Get-Container stubborn
        $after.State | Should -Be Exited -Because 'a stop through Conman is never followed by a run'
        $after.RestartCount | Should -Be 0
    }

    It '-NoHealthcheck and bad settings are checked at create' {
        (New-Container $RootFs -Name none -NoHealthcheck -Command true).HealthCheck | Should -BeNullOrEmpty
        Assert-ConmanError { New-Container $RootFs -Name bad -NoHealthcheck -HealthCommand true -ErrorAction Stop } InvalidHealthCheck InvalidArgument
        Assert-ConmanError { New-Container $RootFs -Name bad -HealthInterval 5s -ErrorAction Stop } InvalidHealthCheck InvalidArgument
        Assert-ConmanError { New-Container $RootFs -Name bad -HealthCommand true -HealthRetries 0 -ErrorAction Stop } InvalidHealthCheck InvalidArgument
        $record = Assert-ConmanError { New-Container $RootFs -Name bad -HealthCommand true -HealthInterval soon -ErrorAction Stop } ParameterArgumentTransformationError InvalidData
        $record.Exception.Message | Should -Match "'soon' is not a duration"
        @(Get-Container).Name | Should -Be @('none')
    }
}

# What systemd does when it stops a service or ends a session: kill every process of its cgroup.
Describe 'Waiting for Healthy' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'Wait-ContainerReady -Healthy returns once the health check passes, and refuses a container without one' {
        # Healthy only once the test makes /tmp/ok: the wait must see the check pass, not a fixed delay.
        New-Container -RootFs $RootFs -Name checked -HealthCommand 'test -e /tmp/ok' -HealthInterval 200ms -HealthRetries 100 -Command sleep, 60 |
            Start-Container
        (Get-Container checked).Health.Status | Should -Be Starting
        Set-Content (Join-Path (Get-TestLayout).MergedRootFs((Get-Container checked).Id) 'tmp/ok') ''
        $ready = Wait-ContainerReady checked -Healthy -Timeout 30 -PassThru
        $ready.Health.Status | Should -Be Healthy
        New-Container -RootFs $RootFs -Name unchecked -Command sleep, 60 | Start-Container
        Assert-ConmanError { Wait-ContainerReady unchecked -Healthy -Timeout 5 -ErrorAction Stop } NoHealthCheck InvalidOperation unchecked | Out-Null
    }
}

Describe 'Shims leave their caller''s cgroup' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach {
        Exit-TestRoot
        # A cgroup goes with rmdir once empty (its files are the kernel's).
        foreach ($folder in $script:TestCgroups) { if (Test-Path $folder) { [System.IO.Directory]::Delete($folder) } }
    }

    It 'containers and their shims survive the killing of every process of the cgroup pwsh ran in' {
        # The hierarchies systemd tracks services and sessions in: v2's (or v1 hybrid's unified) and v1's name=systemd.
        $name = "conman-test-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $script:TestCgroups = @('/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd') | Where-Object { Test-Path "$_/cgroup.procs" } |
            ForEach-Object { Join-Path $_ $name }
        if (Test-Path /sys/fs/cgroup/cgroup.controllers) { $script:TestCgroups = @(Join-Path /sys/fs/cgroup $name) }
        foreach ($folder in $script:TestCgroups) { New-Item -ItemType Directory -Path $folder | Out-Null }
        $join = ($script:TestCgroups | ForEach-Object { "echo `$`$ > $_/cgroup.procs" }) -join '; '
        $child = Invoke-ChildPwsh -NoWait -Prefix 'sh', '-c', "$join; exec `"`$0`" `"`$@`"" -Script @"
foreach (`$n in 'svc1', 'svc2') { New-Container '$RootFs' -Name `$n -Command sleep, 300 | Start-Container }
[Console]::Out.WriteLine('started'); [Console]::Out.Flush(); Start-Sleep 300
"@
        try {
            $child.StandardOutput.ReadLine() | Should -Be 'started'
            foreach ($folder in $script:TestCgroups) {
                @(Get-Content "$folder/cgroup.procs") | Should -Contain "$($child.Id)" -Because 'the session ran in the cgroup'
            }
            # Kill every process of the cgroup, as systemd would, until none is left.
            Wait-Until {
                $left = @($script:TestCgroups | ForEach-Object { Get-Content "$_/cgroup.procs" } | Where-Object { $_ })
                foreach ($procId in $left) { & kill -9 $procId 2>$null }
                $left.Count -eq 0
            } -Because 'every process of the cgroup is gone'
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
        foreach ($n in 'svc1', 'svc2') {
            (Get-Container $n).State | Should -Be Running -Because "$n's shim left the session's cgroup"
        }
        # The shims still serve their containers.
        (Stop-Container -Name svc1 -Timeout 0 -PassThru).State | Should -Be Exited
    }
}
