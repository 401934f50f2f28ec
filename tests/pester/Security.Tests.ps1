# Docker's security defaults, seen from inside containers: the seccomp filter, capabilities,
# -Privileged, a read-only root with its tmpfs folders, -Tmpfs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'What a container may do' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'runs under Docker''s seccomp filter, which refuses a new user namespace; seccomp=unconfined and -Privileged run without it' {
        $probe = 'grep Seccomp: /proc/self/status; unshare -U true 2>&1; echo "unshare $?"'
        $confined = Invoke-Container $RootFs -Command sh, -c, $probe
        $confined | Should -Contain "Seccomp:`t2"
        $confined | Should -Contain 'unshare 1'
        ($confined -join "`n") | Should -Match 'Operation not permitted'
        $unconfined = Invoke-Container $RootFs -SecurityOpt seccomp=unconfined -Command sh, -c, $probe
        $unconfined | Should -Contain "Seccomp:`t0"
        $unconfined | Should -Contain 'unshare 0'
        Invoke-Container $RootFs -Privileged -Command sh, -c, 'grep Seccomp: /proc/self/status' | Should -Be "Seccomp:`t0"
        # The host's devices too, as Docker's --privileged gives them.
        $hostDevice = @(Get-ChildItem /dev -Filter 'loop*' | Where-Object Name -Match '^loop\d+$')[0].Name
        Invoke-Container $RootFs -Privileged -Command ls, /dev | Should -Contain $hostDevice
        Invoke-Container $RootFs -Command ls, /dev | Should -Not -Contain $hostDevice
        # An exec gets the container's filter too.
        New-Container $RootFs -Name held -Command sleep, 60 | Start-Container
        Invoke-ContainerCommand -Name held -Command grep, Seccomp:, /proc/self/status | Should -Be "Seccomp:`t2"
    }

    It 'takes -CapAdd and -CapDrop, and a capability brings the syscalls it governs' {
        Invoke-Container $RootFs -CapDrop ALL -Command grep, CapEff, /proc/self/status | Should -Be "CapEff:`t0000000000000000"
        $shown = New-Container $RootFs -CapAdd net_admin -CapDrop CAP_CHOWN -Tmpfs /cache -SecurityOpt seccomp=unconfined
        ($shown.CapAdd, $shown.CapDrop, $shown.Tmpfs, $shown.Seccomp) | Should -Be 'CAP_NET_ADMIN', 'CAP_CHOWN', '/cache', 'unconfined'
        (New-Container $RootFs -Privileged).Privileged | Should -BeTrue
        Invoke-Container $RootFs -CapAdd SYS_ADMIN -Command sh, -c, 'mkdir -p /mnt && mount -t tmpfs none /mnt && echo mounted' | Should -Be 'mounted'
        Invoke-Container $RootFs -Command sh, -c, 'mkdir -p /mnt; mount -t tmpfs none /mnt 2>/dev/null || echo refused' | Should -Be 'refused'
        Assert-ConmanError { New-Container $RootFs -CapAdd NET_WIZARD -ErrorAction Stop } 'InvalidCapability' 'InvalidArgument' 'NET_WIZARD'
    }

    It 'keeps a read-only root read-only, with tmpfs on /tmp, /var/tmp and /run, and mounts -Tmpfs' {
        $out = Invoke-Container $RootFs -ReadOnly -Tmpfs '/cache:size=1m' -Command sh, -c, `
            'touch /x 2>/dev/null && echo root-written; for d in /tmp /var/tmp /run /cache; do touch $d/f && echo $d; done; grep " /cache " /proc/mounts'
        $out | Should -Not -Contain 'root-written'
        $out[0..3] | Should -Be '/tmp', '/var/tmp', '/run', '/cache'
        $out[4] | Should -Match 'tmpfs /cache tmpfs .*noexec.*size=1024k'
        Assert-ConmanError { New-Container $RootFs -Tmpfs '/cache:bogus' -ErrorAction Stop } 'InvalidTmpfs' 'InvalidArgument'
    }

    It 'reads a -SecurityOpt profile at create and keeps it' {
        $profile = Join-Path $Root 'profile.json'
        '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}' | Set-Content $profile
        New-Container $RootFs -Name profiled -SecurityOpt "seccomp=$profile" -Command sh, -c, 'mkdir /made 2>&1; echo "mkdir $?"' | Out-Null
        Remove-Item $profile
        $out = Start-Container -Name profiled -Attach 2>&1
        ($out -join "`n") | Should -Match 'Permission denied'
        $out | Should -Contain 'mkdir 1'
        Assert-ConmanError { New-Container $RootFs -SecurityOpt 'seccomp=/no/such.json' -ErrorAction Stop } 'InvalidSecurityOption' 'InvalidArgument'
    }

    It 'keeps no-new-privileges on unless -SecurityOpt no-new-privileges=false, in the container and its execs, and takes Docker''s no-op options' {
        $probe = 'grep NoNewPrivs: /proc/self/status | tr -s "\t " " "'
        Invoke-Container $RootFs -Command sh, -c, $probe | Should -Be 'NoNewPrivs: 1'
        $c = New-Container $RootFs -Name allowed -SecurityOpt 'no-new-privileges=false', 'apparmor=unconfined', 'label=disable' -Command sleep, 60
        $c.NoNewPrivileges | Should -BeFalse
        Start-Container allowed
        Invoke-ContainerCommand allowed -Command sh, -c, $probe | Should -Be 'NoNewPrivs: 0'
        (New-Container $RootFs -SecurityOpt 'no-new-privileges' -Command true).NoNewPrivileges | Should -BeTrue
        foreach ($bad in 'apparmor=docker-default', 'label=level:s0:c100', 'no-new-privileges=maybe') {
            Assert-ConmanError { New-Container $RootFs -SecurityOpt $bad -ErrorAction Stop } 'InvalidSecurityOption' 'InvalidArgument'
        }
    }
}
