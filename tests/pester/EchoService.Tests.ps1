# A suite written as a Conman user writes one (docs/pester.md): a service container started once in
# BeforeAll, waited for, tested through the cmdlets with $ErrorActionPreference = 'Stop', and removed
# in AfterAll whatever happened. The service is a TCP echo (busybox nc); it is reached from inside the
# container with Invoke-ContainerCommand, since it publishes no port.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $layout = Join-Path (New-TestFolder 'echo') 'busybox'
    New-OciImageLayout -Path $layout -LayerTars @(, (New-LayerTar -Folder $rootFs)) -Name 'busybox:echo' | Out-Null
    $script:Root = Enter-TestRoot
    Import-ContainerImage $layout | Out-Null

    # From here on, what a user's BeforeAll holds.
    $ErrorActionPreference = 'Stop'
    $script:Echo = New-Container busybox:echo -Name echo -RemoveWithSession -- nc -ll -p 7000 -e cat
    $Echo | Start-Container
    $Echo | Wait-ContainerReady -Port 7000 -Timeout 30
    function Send-Echo([string] $Line) {
        Invoke-ContainerCommand $Echo.Name -- sh -c "echo '$Line' | nc -w 2 127.0.0.1 7000"
    }
}
AfterAll {
    # What a user's AfterAll holds: the service goes, even when a test failed or BeforeAll did.
    if ($Echo) { $Echo | Remove-Container -Force }
    $residue = Get-Residue
    Exit-TestRoot
    Complete-TestFile
    Assert-NoResidue $residue -Because 'the suite removed its service container'
}

Describe 'A TCP echo service in a container' {
    It 'is running and listening' {
        (Get-Container -Id $Echo.Id).State | Should -Be Running
    }

    It 'echoes what a client sends' {
        Send-Echo 'hello' | Should -Be 'hello'
        $LASTEXITCODE | Should -Be 0
    }

    It 'answers again after the service is stopped and started: a session-tied container stays until the session ends' {
        $Echo | Stop-Container -Timeout 1
        $Echo | Start-Container
        $Echo | Wait-ContainerReady -Port 7000 -Timeout 30
        Send-Echo 'again' | Should -Be 'again'
    }

    It 'serves one client after another' {
        1..3 | ForEach-Object { Send-Echo "line $_" } | Should -Be @('line 1', 'line 2', 'line 3')
    }

    It 'lets a client''s stderr pass under ErrorActionPreference Stop, and reports its exit code' {
        Invoke-ContainerCommand $Echo.Name -- sh -c 'echo "no such host" >&2; exit 1' 2>$null
        $LASTEXITCODE | Should -Be 1
    }
}

Describe 'A user''s suite whose service fails in BeforeAll' {
    It 'leaves nothing behind: the container made before the failure is removed in AfterAll' {
        $suite = Join-Path (New-TestFolder 'failing-beforeall') 'FailingStart.Tests.ps1'
        Set-Content $suite @'
BeforeAll {
    $ErrorActionPreference = 'Stop'
    $script:Service = New-Container busybox:echo -Name never-ready -RemoveWithSession -- sh -c 'echo starting; exit 3'
    $Service | Start-Container
    $Service | Wait-ContainerReady -Port 7000 -Timeout 10
}
AfterAll { if ($Service) { $Service | Remove-Container -Force } }
Describe 'a service' {
    It 'is never reached' { $true | Should -BeTrue }
}
'@
        $pester = (Get-Module Pester).Path
        $run = Invoke-ChildPwsh -Script "Import-Module '$pester'; `$r = Invoke-Pester -Path '$suite' -PassThru -Output None; `"`$(`$r.PassedCount)/`$(`$r.FailedCount)`""
        $run.Stdout.Trim() | Should -Be '0/1' -Because "BeforeAll failed, which fails the test: $($run.Stderr)"
        (Get-Container).Name | Should -Be 'echo'
    }
}

Describe 'A user''s suite whose test fails' {
    It 'leaves no container behind' {
        $suite = Join-Path (New-TestFolder 'failing-suite') 'Failing.Tests.ps1'
        Set-Content $suite @'
BeforeAll {
    $ErrorActionPreference = 'Stop'
    $script:Service = New-Container busybox:echo -Name failing -- nc -ll -p 7000 -e cat | Start-Container -PassThru | Wait-ContainerReady -Port 7000 -PassThru
}
AfterAll { if ($Service) { Remove-Container -Id $Service.Id -Force } }
Describe 'a service' {
    It 'fails on purpose' { Invoke-ContainerCommand $Service.Name -- sh -c 'echo wrong' | Should -Be 'right' }
}
'@
        # In this file's store, beside the echo service, which must be all that is left afterwards.
        $pester = (Get-Module Pester).Path
        $run = Invoke-ChildPwsh -Script "Import-Module '$pester'; `$r = Invoke-Pester -Path '$suite' -PassThru -Output None; `"`$(`$r.PassedCount)/`$(`$r.FailedCount)`""
        $run.Stdout.Trim() | Should -Be '0/1' -Because $run.Stderr
        (Get-Container).Name | Should -Be 'echo'
    }
}
