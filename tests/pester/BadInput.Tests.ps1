BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Bad input changes nothing' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'a missing root filesystem folder' {
        Assert-ConmanError { New-Container -RootFs /no/such/rootfs -Command true -ErrorAction Stop } 'RootFsNotFound' 'ObjectNotFound' '/no/such/rootfs'
        Assert-NoResidue
    }

    It 'an invalid name' {
        Assert-ConmanError { New-Container $RootFs -Name 'bad name!' -Command true -ErrorAction Stop } 'InvalidContainerName' 'InvalidArgument' 'bad name!'
        Assert-ConmanError { New-Container $RootFs -Name '-leading' -Command true -ErrorAction Stop } 'InvalidContainerName' 'InvalidArgument'
        Assert-NoResidue
    }

    It 'a removal a mount blocks is an error of that container alone: the pipeline goes on, and a later removal finishes it' {
        $blocked = New-Container $RootFs -Name blocked -Command true
        New-Container $RootFs -Name next -Command true | Out-Null
        # Something mounted in the container's folder (as a release that failed would leave it): a recursive delete would go into it.
        $mountPoint = Join-Path (Get-TestLayout).ContainerFolder($blocked.Id) 'held'
        New-Item -ItemType Directory -Path $mountPoint | Out-Null
        & mount -t tmpfs tmpfs $mountPoint
        try {
            $errors = @()
            Remove-Container -Name blocked, next -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ContainerStillMounted,*'
            $errors[0].TargetObject | Should -Be 'blocked'
            @(Get-Container).Name | Should -Be @('blocked')
            (Get-Container blocked).State | Should -Be Removing
        }
        finally { & umount $mountPoint }
        Remove-Container -Name blocked
        @(Get-Container).Count | Should -Be 0
    }

    It 'a duplicate name' {
        $first = New-Container $RootFs -Name taken -Command true
        Assert-ConmanError { New-Container $RootFs -Name taken -Command true -ErrorAction Stop } 'ContainerNameInUse' 'ResourceExists' 'taken'
        @(Get-Container).Count | Should -Be 1
        (Get-Container taken).Id | Should -Be $first.Id
    }

    It 'an unknown container, for every cmdlet that takes one' {
        foreach ($command in 'Start-Container', 'Stop-Container', 'Remove-Container', 'Restart-Container', 'Wait-Container', 'Send-ContainerSignal', 'Get-ContainerLog') {
            Assert-ConmanError { & $command -Name ghost -ErrorAction Stop } 'ContainerNotFound' 'ObjectNotFound' 'ghost'
        }
        Assert-ConmanError { Get-Container -Id abcdef -ErrorAction Stop } 'ContainerNotFound' 'ObjectNotFound' 'abcdef'
    }

    It 'a command that does not exist in the root filesystem: CommandNotFound with runc''s message, and no half-made run' {
        New-Container $RootFs -Name nocmd -Command /bin/not-here | Out-Null
        $record = Assert-ConmanError { Start-Container -Name nocmd -ErrorAction Stop } 'CommandNotFound' 'ObjectNotFound' 'nocmd'
        $record.Exception.Message | Should -Match 'not-here.*no such file or directory|executable file not found'
        (Get-Container nocmd).State | Should -Be Created
        $residue = Get-Residue
        $residue.Mounts | Should -Be 0
        $residue.Shims | Should -Be 0
        Assert-ConmanError { Invoke-Container $RootFs -Command not-here -ErrorAction Stop } 'CommandNotFound' 'ObjectNotFound'
        @(Get-Container).Count | Should -Be 1
    }

    It 'removing a running container without -Force' {
        New-Container $RootFs -Name busy -Command sleep, 30 | Start-Container
        Assert-ConmanError { Remove-Container -Name busy -ErrorAction Stop } 'ContainerRunning' 'InvalidOperation' 'busy'
        (Get-Container busy).State | Should -Be Running
    }

    It 'starting a running container' {
        New-Container $RootFs -Name started -Command sleep, 30 | Start-Container
        $pid1 = (Get-Container started).Pid
        Assert-ConmanError { Start-Container -Name started -ErrorAction Stop } 'ContainerAlreadyRunning' 'InvalidOperation' 'started'
        (Get-Container started).Pid | Should -Be $pid1
    }

    It 'an invalid signal' {
        New-Container $RootFs -Name signalled -Command sleep, 30 | Start-Container
        Assert-ConmanError { Send-ContainerSignal -Name signalled -Signal SIGNOPE -ErrorAction Stop } 'InvalidSignal' 'InvalidArgument' 'SIGNOPE'
        Assert-ConmanError { Send-ContainerSignal -Name signalled -Signal 99 -ErrorAction Stop } 'InvalidSignal' 'InvalidArgument'
        (Get-Container signalled).State | Should -Be Running
    }

    It 'an invalid volume spec' {
        # 'name:/data' and '/data' alone are volumes (Volumes.Tests.ps1), as Docker's.
        foreach ($spec in 'relative/dir:/data', 'data:relative', '/tmp:/data:rx', '/no/such/host/dir:/data', '/tmp:/../escape') {
            Assert-ConmanError { New-Container $RootFs -Command true -Volume $spec -ErrorAction Stop } 'InvalidVolumeSpec' 'InvalidArgument' $spec
        }
        Assert-NoResidue
    }

    It 'an invalid environment variable name' {
        Assert-ConmanError { New-Container $RootFs -Command true -Environment @{ 'A=B' = 'x' } -ErrorAction Stop } 'InvalidEnvironment' 'InvalidArgument' 'A=B'
        Assert-NoResidue
    }

    It 'an unknown user' {
        Assert-ConmanError { New-Container $RootFs -Command true -User nosuchuser -ErrorAction Stop } 'InvalidUser' 'InvalidArgument' 'nosuchuser'
        Assert-NoResidue
    }

    It 'runc missing' {
        $env:CONMAN_RUNTIME = '/nonexistent/runc'
        try {
            Assert-ConmanError { New-Container $RootFs -Command true -ErrorAction Stop } 'RuntimeNotFound' 'ResourceUnavailable'
        } finally {
            Remove-Item Env:CONMAN_RUNTIME
        }
        Assert-NoResidue
    }

    It 'not running as root' {
        # A user namespace with no mapping: the same files, but geteuid() is the overflow uid.
        $result = Invoke-ChildPwsh -Prefix unshare, --user -Script "try { New-Container '$RootFs' -Command true } catch { Write-ErrorReport `$_ }"
        Assert-ConmanError -Record ($result.Stdout | ConvertFrom-ErrorReport) -ErrorId 'RootRequired,Conman.Cmdlets.NewContainerCommand' -Category PermissionDenied
        Assert-NoResidue
    }
}
