BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    # Says when it is ready and when SIGTERM comes, and runs on: only a stop's SIGKILL ends it.
    $script:IgnoresTerm = 'sh', '-c', "trap 'echo got-term' TERM; echo trapped; while true; do sleep 0.05; done"
}
AfterAll { Complete-TestFile }

# The shim owns its runs: it records them, carries out stops, and undoes the host's share at exit,
# whatever happens to the sessions that asked.
Describe 'Runs' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'a run that exits at once started before it finished' {
        foreach ($i in 1..10) {
            $c = New-Container -RootFs $RootFs -Command sh, -c, 'exit 42' | Start-Container -PassThru
            $null = Wait-Container -Id $c.Id
            $done = Get-Container -Id $c.Id
            $done.ExitCode | Should -Be 42
            $done.StartedAt | Should -BeLessOrEqual $done.FinishedAt
        }
    }

    It 'Start-Container -Attach reports 137 when another session removes the container by force' {
        # podman's regression test for its #3795, where the attach sometimes lost the exit code.
        foreach ($i in 1..6) {
            $name = "attached$i"
            New-Container $RootFs -Name $name -Command sleep, 60 | Out-Null
            $child = Invoke-ChildPwsh -NoWait -Script "Start-Container -Name $name -Attach; 'exit=' + `$LASTEXITCODE"
            try {
                Wait-Until { (Get-Container $name -ErrorAction SilentlyContinue).State -eq 'Running' } -Because 'the child started it'
                Remove-Container -Name $name -Force
                $stdout = $child.StandardOutput.ReadToEnd()
                $stderr = $child.StandardError.ReadToEnd()
                $child.WaitForExit()
            } finally {
                # No child outlives the test, whatever failed.
                if (-not $child.HasExited) { $child.Kill() }
            }
            $stderr | Should -BeNullOrEmpty
            $stdout.Trim() | Should -Be 'exit=137'
        }
    }

    It 'the starting session killed at random moments: the state always says what ran' {
        $random = [System.Random]::new(20261201)
        foreach ($i in 1..12) {
            $name = "killed$i"
            New-Container $RootFs -Name $name -Command sh, -c, 'echo ran; exit 3' | Out-Null
            $child = Invoke-ChildPwsh -NoWait -Script "[Console]::Out.WriteLine('starting'); [Console]::Out.Flush(); Start-Container -Name $name"
            $null = $child.StandardOutput.ReadLine()
            Start-Sleep -Milliseconds ($random.Next(0, 40))
            $child.Kill()
            $child.WaitForExit()
        }
        foreach ($i in 1..12) {
            $name = "killed$i"
            # A shim that the session launched goes on alone: give it the time to finish.
            Wait-Until { (Get-Container $name).State -in 'Created', 'Exited' } -Because "$name settled"
            $container = Get-Container $name
            $ran = @(Get-ContainerLog -Name $name).Text -contains 'ran'
            if ($ran) {
                $container.State | Should -Be Exited -Because "$name ran"
                $container.ExitCode | Should -Be 3
            } else {
                $container.State | Should -Be Created -Because "$name never ran"
            }
            # Whatever happened, it starts again cleanly.
            (Start-Container -Name $name -Attach) | Should -Be 'ran'
            $LASTEXITCODE | Should -Be 3
            Remove-Container -Name $name
        }
        $residue = Get-Residue
        $residue.Shims | Should -Be 0
        $residue.Mounts | Should -Be 0
    }

    It 'an exited container holds no mount, with no session alive when it exits' {
        $child = Invoke-ChildPwsh -Script "New-Container '$RootFs' -Name alone -Command sh, -c, 'sleep 1; exit 5' | Start-Container; 'started'"
        $child.Stdout.Trim() | Should -Be 'started'
        (Get-Residue).Mounts | Should -Be 2 -Because 'the overlay and the network namespace are mounted while it runs'
        # Read from disk only: no cmdlet that could unmount anything runs until it has exited.
        $exitRecord = (Get-TestLayout).ExitPath((Get-Container alone).Id)
        Wait-Until { Test-Path $exitRecord } -Because 'the container exited'
        Wait-Until { (Get-Residue).Mounts -eq 0 } -Timeout 5 -Because 'the shim unmounted the overlay after the exit record'
        (Get-Container alone).ExitCode | Should -Be 5
    }

    It 'Send-ContainerSignal KILL from another session ends a container during a long Stop-Container' {
        New-Container $RootFs -Name stubborn -Command $IgnoresTerm | Start-Container
        Wait-LoggedLine stubborn trapped
        $stopping = Invoke-ChildPwsh -NoWait -Script "(Stop-Container -Name stubborn -Timeout 120 -PassThru).ExitCode"
        Wait-LoggedLine stubborn got-term
        $elapsed = Measure-Command { Send-ContainerSignal -Name stubborn -Signal KILL }
        $elapsed.TotalSeconds | Should -BeLessThan 5
        (Wait-Container -Name stubborn -Timeout 10).ExitCode | Should -Be 137
        $stopping.WaitForExit(10000) | Should -BeTrue
        $stopping.StandardOutput.ReadToEnd().Trim() | Should -Be '137'
    }

    It 'Remove-Container -Force from another session goes ahead during a long Stop-Container' {
        New-Container $RootFs -Name stubborn -Command $IgnoresTerm | Start-Container
        Wait-LoggedLine stubborn trapped
        $stopping = Invoke-ChildPwsh -NoWait -Script "Stop-Container -Name stubborn -Timeout 120"
        Wait-LoggedLine stubborn got-term
        $elapsed = Measure-Command { Remove-Container -Name stubborn -Force }
        $elapsed.TotalSeconds | Should -BeLessThan 5
        Get-Container | Should -BeNullOrEmpty
        $stopping.WaitForExit(10000) | Should -BeTrue
        Assert-NoResidue
    }

    It 'a removal whose session was killed is listed as Removing, and the next removal finishes it' {
        # Many files in its own layer, so that the removal takes long enough to be cut short.
        New-Container $RootFs -Name heavy -Command sh, -c, 'mkdir /many && cd /many && seq 1 40000 | xargs touch' | Start-Container -Attach
        $id = (Get-Container heavy).Id
        $child = Invoke-ChildPwsh -NoWait -Script "[Console]::Out.WriteLine('removing'); [Console]::Out.Flush(); Remove-Container -Name heavy"
        $null = $child.StandardOutput.ReadLine()
        $folder = (Get-TestLayout).ContainerFolder($id)
        $marker = (Get-TestLayout).RemovingMarkerPath($id)
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not [System.IO.File]::Exists($marker) -and [System.IO.Directory]::Exists($folder) -and [DateTime]::UtcNow -lt $deadline) { }
        $child.Kill()
        $child.WaitForExit()
        $left = @(Get-Container -ErrorAction SilentlyContinue)
        if (Test-Path (Get-TestLayout).RecordPath($id)) {
            $left.Count | Should -Be 1
            $left[0].State | Should -Be Removing
            $left[0].Status | Should -Be Removing
            Assert-ConmanError { Start-Container -Name heavy -ErrorAction Stop } ContainerRemoving InvalidOperation heavy
            Remove-Container -Name heavy
        }
        Get-Container | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
    }

    It 'a shim that dies before its report: a clear error, nothing left mounted, and the container starts later' {
        New-Container $RootFs -Name early -Command sh, -c, 'exit 6' | Out-Null
        $dying = Join-Path $Root 'dying-shim'
        Set-Content $dying "#!/bin/sh`nkill -KILL `$`$"
        & chmod 700 $dying
        $env:CONMAN_SHIM = $dying
        try {
            $child = Invoke-ChildPwsh -Script "try { Start-Container -Name early } catch { `$_.FullyQualifiedErrorId; `$_.Exception.GetType().Name }"
        } finally {
            Remove-Item Env:CONMAN_SHIM
        }
        $lines = $child.Stdout.Trim() -split "`n" | ForEach-Object Trim
        $lines[0] | Should -BeLike 'ShimFailed,*'
        $lines[1] | Should -Be 'ConmanException'
        (Get-Residue).Mounts | Should -Be 0
        (Get-Container early).State | Should -Be Created
        Start-Container -Name early -Attach
        $LASTEXITCODE | Should -Be 6
    }
}
