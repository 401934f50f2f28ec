BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

# Limits as Docker's flags give them, seen from inside the container (its own cgroup, mounted
# read-only at /sys/fs/cgroup) and enforced by the kernel.
Describe 'Resource limits' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'each limit is seen from inside the container' {
        $read = 'for f in memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us ' +
            'cpu/cpu.shares cpuset/cpuset.cpus pids/pids.max; do cat /sys/fs/cgroup/$f; done; ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1'
        $c = New-Container $RootFs -Name limited -Memory 64MB -MemorySwap '96m' -Cpus 0.5 -CpuShares 512 -CpusetCpus 0 -PidsLimit 32 `
            -Ulimit nofile=100:200 -ShmSize 1MB -Command sh, -c, $read
        $c.Limits.Memory | Should -Be 64MB
        $c.Limits.Cpus | Should -Be 0.5
        $inside = @(Start-Container -Name limited -Attach)
        $LASTEXITCODE | Should -Be 0
        $inside[0..8] | Should -Be @("$(64MB)", "$(96MB)", '100000', '50000', '512', '0', '32', '100', '200')
        ($inside[9] -split '\s+')[1] | Should -Be '1024' -Because '/dev/shm is 1 MiB'
        # Without limits, none is written: the cgroup files say what the host allows.
        New-Container $RootFs -Name free -Command cat, /sys/fs/cgroup/pids/pids.max | Out-Null
        Start-Container -Name free -Attach | Should -Be 'max'
    }

    It 'a memory hog is OOM-killed, and the container says so' {
        # dd's one 100 MiB buffer, touched as it reads into it: past 32 MiB of memory and no swap.
        New-Container $RootFs -Name hog -Memory 32MB -MemorySwap 32MB -Command sh, -c, 'exec dd if=/dev/zero of=/dev/null bs=100M count=1' | Out-Null
        Start-Container -Name hog -Attach 2>$null
        $LASTEXITCODE | Should -Be 137
        $hog = Get-Container hog
        $hog.OOMKilled | Should -BeTrue
        $hog.Status | Should -Match '^Exited \(137\) OOM-killed '
        # Killed otherwise, the same exit code is not an OOM kill.
        New-Container $RootFs -Name killed -Memory 32MB -Command sleep, 60 | Start-Container
        Send-ContainerSignal -Name killed -Signal KILL
        $killed = Wait-Container -Name killed
        $killed.ExitCode | Should -Be 137
        $killed.OOMKilled | Should -BeFalse
        # The next run of the hog that stays within its limit is not OOM-killed: the count is per run.
        New-Container $RootFs -Name modest -Memory 32MB -MemorySwap 32MB -Command sh, -c, 'dd if=/dev/zero of=/dev/null bs=1M count=1 2>/dev/null' | Out-Null
        Start-Container -Name modest -Attach
        (Get-Container modest).OOMKilled | Should -BeFalse
    }

    It 'a fork bomb stops at the pids limit and the host is fine' {
        # A real bomb: every f forks two more until forks fail. The limit holds it at 24 tasks; the
        # CPU limit keeps it from taking the shared machine meanwhile.
        $bomb = 'f() { f | f & }; f; sleep 2; cat /sys/fs/cgroup/pids/pids.events; sleep 60'
        New-Container $RootFs -Name bomb -PidsLimit 24 -Cpus 0.5 -Command sh, -c, $bomb | Start-Container
        $id = (Get-Container bomb).Id
        Wait-Until { (Get-ContainerLog -Name bomb).Text -match '^max [1-9]' } -Because 'forks past the limit failed'
        [int] (Get-Content "/sys/fs/cgroup/pids/conman/$id/pids.current") | Should -BeLessOrEqual 24
        # The host still starts processes.
        & /bin/sh -c 'echo host-ok' | Should -Be 'host-ok'
        Stop-Container -Name bomb -Timeout 0
        (Get-Container bomb).State | Should -Be Exited
    }

    It 'bad limits are refused before anything is written' {
        Assert-ConmanError { New-Container $RootFs -Name tiny -Memory 1KB -ErrorAction Stop } InvalidResourceLimit InvalidArgument '1024'
        Assert-ConmanError { New-Container $RootFs -Name many -Cpus 64 -ErrorAction Stop } InvalidResourceLimit InvalidArgument '64'
        Assert-ConmanError { New-Container $RootFs -Name high -Ulimit nofile=1:99999999 -ErrorAction Stop } InvalidResourceLimit InvalidArgument
        $record = Assert-ConmanError { New-Container $RootFs -Name odd -Memory '64x' -ErrorAction Stop } ParameterArgumentTransformationError InvalidData
        $record.Exception.Message | Should -Match "'64x' is not a size"
        @(Get-Container).Count | Should -Be 0
        Assert-NoResidue
    }
}

# What docker update, stats, top, pause and unpause do, through the cgroup files.
Describe 'Live resources' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'Update-Container changes a running container at once and every later run' {
        $read = 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max'
        New-Container $RootFs -Name svc -Memory 64MB -Cpus 1 -PidsLimit 10 -Command sleep, 300 | Start-Container
        $updated = Update-Container -Name svc -Memory 128MB -MemorySwap 256MB -Cpus 0.25 -PidsLimit 50 -PassThru
        $updated.Limits.Memory | Should -Be 128MB
        Invoke-ContainerCommand -Name svc -Command sh, -c, $read | Should -Be @("$(128MB)", '25000', '50')
        # Refused: above the memory plus swap now set. Nothing changes.
        Assert-ConmanError { Update-Container -Name svc -Memory 512MB -ErrorAction Stop } InvalidResourceLimit InvalidArgument
        (Get-Container svc).Limits.Memory | Should -Be 128MB
        Restart-Container -Name svc -Timeout 0
        Invoke-ContainerCommand -Name svc -Command sh, -c, $read | Should -Be @("$(128MB)", '25000', '50')
    }

    It 'a run its restart policy starts after a crash keeps what Update-Container set' {
        $read = 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max'
        New-Container $RootFs -Name crashy -Memory 64MB -PidsLimit 10 -RestartPolicy Always -Command sleep, 300 | Start-Container
        Update-Container -Name crashy -Memory 128MB -PidsLimit 50
        $first = (Get-Container crashy).Pid
        # A crash, not a stop: killed from the host, behind its shim's back.
        Stop-Process -Id $first -Force
        Wait-Until { (Get-Container crashy) | Where-Object { $_.RestartCount -ge 1 -and $_.State -eq 'Running' -and $_.Pid -ne $first } } -Because 'the policy runs it again'
        Invoke-ContainerCommand -Name crashy -Command sh, -c, $read | Should -Be @("$(128MB)", '50')
        (Get-Content "/sys/fs/cgroup/memory/conman/$((Get-Container crashy).Id)/memory.limit_in_bytes") | Should -Be "$(128MB)"
    }

    It 'Get-ContainerStatistic agrees with the cgroup files' {
        New-Container $RootFs -Name spin -Memory 64MB -PidsLimit 20 -Command sh, -c, 'sleep 300 & while :; do :; done' | Start-Container
        $id = (Get-Container spin).Id
        Wait-Until { [int] (Get-Content "/sys/fs/cgroup/pids/conman/$id/pids.current") -eq 2 } -Because 'both processes run'
        $samples = @(Get-ContainerStatistic -Name spin -Follow -Interval 0.3 | Select-Object -First 2)
        $samples.Count | Should -Be 2
        $last = $samples[1]
        $last.MemoryLimit | Should -Be 64MB
        $last.Pids | Should -Be 2
        $last.PidsLimit | Should -Be 20
        $last.CpuPercent | Should -BeGreaterThan 0 -Because 'a busy loop uses the CPU between samples'
        $usage = [long] (Get-Content "/sys/fs/cgroup/cpuacct/conman/$id/cpuacct.usage")
        $last.CpuTime.Ticks * 100 | Should -BeLessOrEqual $usage -Because 'the cgroup counts on after the sample'
        # Against the peak: the usage read after the sample may already be lower than it was.
        $last.MemoryUsage | Should -BeLessOrEqual ([long] (Get-Content "/sys/fs/cgroup/memory/conman/$id/memory.max_usage_in_bytes"))
        # Not running: an error for a plain name; nothing for every running container.
        New-Container $RootFs -Name idle -Command true | Out-Null
        Assert-ConmanError { Get-ContainerStatistic -Name idle -ErrorAction Stop } ContainerNotRunning InvalidOperation idle
        @(Get-ContainerStatistic).Name | Should -Be @('spin')
        # Its first, plural name stays an alias, exported with the module.
        (Get-Command Get-ContainerStats).ResolvedCommand.Name | Should -Be 'Get-ContainerStatistic'
        @(Get-ContainerStats).Name | Should -Be @('spin')
    }

    It 'Get-ContainerProcess lists what runs inside, with its pid in the container' {
        New-Container $RootFs -Name tree -Command sh, -c, 'sleep 301 & sleep 302 & wait' | Start-Container
        Wait-Until { @(Get-ContainerProcess -Name tree).Count -eq 3 } -Because 'the shell started both sleeps'
        $processes = Get-ContainerProcess -Name tree
        $init = $processes | Where-Object ContainerPid -eq 1
        $init.Command | Should -BeLike 'sh -c *'
        $init.Pid | Should -Be (Get-Container tree).Pid
        ($processes | Where-Object ParentPid -eq $init.Pid).Command | Sort-Object | Should -Be @('sleep 301', 'sleep 302')
        $processes.ContainerName | Select-Object -Unique | Should -Be 'tree'
    }

    It 'Suspend-Container freezes every process and Resume-Container thaws them' {
        New-Container $RootFs -Name ticker -Command sh, -c, 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done' | Start-Container
        Wait-LoggedLine -Name ticker -Line '3'
        $paused = Suspend-Container -Name ticker -PassThru
        $paused.Paused | Should -BeTrue
        $paused.Status | Should -Match '\(Paused\)$'
        Assert-ConmanError { Suspend-Container -Name ticker -ErrorAction Stop } ContainerPaused InvalidOperation ticker
        $count = @(Get-ContainerLog -Name ticker).Count
        Start-Sleep -Milliseconds 400
        @(Get-ContainerLog -Name ticker).Count | Should -Be $count -Because 'a frozen container prints nothing'
        (Resume-Container -Name ticker -PassThru).Paused | Should -BeFalse
        Wait-LoggedLine -Name ticker -Line "$($count + 2)"
        # A stop thaws it first: it ends at once rather than hanging frozen.
        Suspend-Container -Name ticker
        (Stop-Container -Name ticker -Timeout 0 -PassThru).State | Should -Be Exited
    }
}
