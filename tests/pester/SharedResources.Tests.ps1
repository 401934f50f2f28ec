# Review of issue 20's shared resources (review20a): attacks on what a network, a namespace and a
# removal share, each written as the attack. Each fails on main at b248f26.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile

    function Stop-Shim([string] $Name) {
        <# Kills the container's shim, as the OOM killer or an admin would, and waits until the container is Unknown. #>
        $run = (Read-StoreRecord RunRecord (Get-TestLayout).RunPath((Get-Container $Name).Id))
        Stop-Process -Id $run.Shim.Pid -Force
        Wait-Until { (Get-Container $Name).State -eq 'Unknown' } -Because "the shim of $Name died"
    }

    function Get-NetworkNamespace([string] $Name) {
        <# The network namespace a container's process is in, as the kernel names it ("net:[inode]"). #>
        Invoke-ContainerCommand $Name -Command readlink, /proc/self/ns/net
    }
}
AfterAll { Complete-TestFile }

Describe 'A network left while nothing ran it is still undone' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'undoes a network disconnected while the container''s shim was dead, at Remove-Container' {
        New-ContainerNetwork -Name first | Out-Null
        New-ContainerNetwork -Name second | Out-Null
        New-Container -RootFs $RootFs -Name lost -Network first, second -Command sleep, 300 | Start-Container
        Stop-Shim lost
        # Not running: the disconnect changes the definition only, while first's address and rules are still held.
        Disconnect-ContainerNetwork -Name lost -Network first
        Remove-Container lost -Force
        Assert-NoResidue -Because 'first''s address, masquerade and firewall rules went with the container'
    }

    It 'undoes a network whose connect was killed halfway, at Remove-Container' {
        New-ContainerNetwork -Name first | Out-Null
        New-ContainerNetwork -Name second | Out-Null
        New-Container -RootFs $RootFs -Name cut -Network first -Command sleep, 300 | Start-Container
        # host-local waits for its lock: held here, second's setup blocks inside its plugin.
        $lockFolder = Join-Path (Get-TestLayout).IpamFolder 'second'
        New-Item -ItemType Directory -Path $lockFolder -Force | Out-Null
        $lock = [System.IO.File]::Open((Join-Path $lockFolder 'lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $child = Invoke-ChildPwsh -NoWait -Script 'Connect-ContainerNetwork -Name cut -Network second'
            # Killed once host-local itself waits for the lock: a kill before the plugins ran would leave nothing to undo.
            $id = (Get-Container cut).Id
            Wait-Until {
                Get-Process -Name host-local -ErrorAction SilentlyContinue |
                    Where-Object { (Get-Content -Raw "/proc/$($_.Id)/environ" -ErrorAction SilentlyContinue) -match "CNI_CONTAINERID=$id" }
            } -Because 'second''s address is being allocated'
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
        }
        finally { $lock.Dispose() }
        # The orphaned plugin goes on once the lock is free: second's address is taken, for a connect the record never got.
        Wait-Until { (Get-Residue).Leases -eq 2 } -Because 'the orphaned plugin finished'
        Remove-Container cut -Force
        Assert-NoResidue -Because 'second''s address and rules went with the container'
    }
}

Describe 'A namespace other containers join' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'never leaves a joiner running on a namespace its owner''s start replaced, after the owner''s shim died' {
        New-Container -RootFs $RootFs -Name owner -Command sleep, 300 | Start-Container
        New-Container -RootFs $RootFs -Name joiner -Network container:owner -Command sleep, 300 | Start-Container
        Stop-Shim owner
        (Get-Container joiner).State | Should -Be Running
        Start-Container owner
        $joiner = Get-Container joiner
        if ($joiner.State -eq 'Running') {
            Get-NetworkNamespace joiner | Should -Be (Get-NetworkNamespace owner) -Because 'a running joiner is on its owner''s namespace'
            (Invoke-ContainerCommand joiner -Command ip, -o, -4, addr, show, eth0) -join '' | Should -Match ([regex]::Escape("$((Get-Container owner).IPAddress)/"))
        }
        else {
            $joiner.State | Should -Be Exited -Because 'a joiner the owner''s start cannot keep is stopped first, as Restart-Container and Stop-Container stop it'
        }
    }

    It 'removes a joiner whose -AutoRemove owner removed itself, with no raw error' {
        New-Container -RootFs $RootFs -Name owner -AutoRemove -Command sh, -c, 'sleep 1' | Out-Null
        New-Container -RootFs $RootFs -Name joiner -Network container:owner -Command sleep, 300 | Out-Null
        Start-Container owner
        # Its shim removes it at its exit (or keeps it for its joiner): either way, once the shim is done.
        Wait-Until { -not (Get-Container owner -ErrorAction SilentlyContinue) -or (Get-Residue).Shims -eq 0 } -Because 'the owner''s shim finished'
        { Remove-Container joiner -ErrorAction Stop } | Should -Not -Throw
        Get-Container joiner -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Container | Remove-Container
        Assert-NoResidue
    }
}

Describe 'Update-Container of a running container' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'keeps the definition, the cgroup and the next run''s spec in agreement when the container deleted its own /etc/passwd' {
        # The container's root removes the file its user name resolves in, then waits: an update must not half-apply.
        New-Container -RootFs $RootFs -Name limited -User root -RestartPolicy Always -Memory 64MB -Command sh, -c, 'rm -f /etc/passwd; echo gone; exec sleep 300' |
            Start-Container
        Wait-LoggedLine limited gone
        try { Update-Container limited -Memory 128MB -ErrorAction Stop } catch { $_.FullyQualifiedErrorId | Should -Not -BeLike 'System.*' }
        $id = (Get-Container limited).Id
        $defined = (Get-Container limited).Limits.Memory
        $spec = (Get-Content (Get-TestLayout).SpecPath($id) -Raw | ConvertFrom-Json).linux.resources.memory.limit
        $cgroup = [long] (Get-Content "/sys/fs/cgroup/memory/conman/$id/memory.limit_in_bytes")
        @($spec, $cgroup) | Should -Be @($defined, $defined) -Because 'a run its restart policy starts next has the limit the container shows'
    }
}
