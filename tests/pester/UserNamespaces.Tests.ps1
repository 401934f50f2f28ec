# Containers whose root is not the host's (-UserNs auto, -UidMap/-GidMap), as podman's --userns=auto and
# --uidmap: seen from inside (root, the maps, the image's files root's, Seccomp still on) and from the host
# (the process and its files owned by the range, the image's layers untouched), with volumes, the /etc files,
# copies, commits, execs, published ports, a killed shim, and refusals that change nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile

    function script:Get-HostIds([int] $ProcessId) {
        <# The real uid and gid of a host process, from /proc/<pid>/status. #>
        $status = Get-Content "/proc/$ProcessId/status"
        $uid = (($status | Where-Object { $_.StartsWith('Uid:') }) -split '\s+')[1]
        $gid = (($status | Where-Object { $_.StartsWith('Gid:') }) -split '\s+')[1]
        "${uid}:${gid}"
    }

    function script:Get-HostOwner([string] $Path) {
        <# A host file's owner as uid:gid, not following a link. #>
        (& stat -c '%u:%g' $Path)
    }

    function script:Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    function script:Get-ClaimCount {
        <# The host-wide -UserNs auto claims that this test's containers hold. #>
        @(Get-ChildItem /var/lib/conman/idranges -Filter '*.claim' -ErrorAction Ignore |
            Where-Object { (Get-Content $_.FullName -TotalCount 1).StartsWith($env:CONMAN_ROOT) }).Count
    }
}
AfterAll { Complete-TestFile }

Describe 'User namespaces' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'runs -UserNs auto as root of its own range: root and the image''s files inside, the range''s ids on the host' {
        $c = New-Container -RootFs $RootFs -Name mapped -UserNs auto -Command sh, -c, 'echo ready > /f; exec sleep 60'
        $c.UserNamespace | Should -Be 'auto'
        $c.UidMap | Should -HaveCount 1
        $c.UidMap[0] | Should -Match '^0:\d+:65536$'
        $c.GidMap | Should -Be $c.UidMap
        [uint32] $base = $c.UidMap[0].Split(':')[1]
        Start-Container mapped
        Wait-Until { (Invoke-ContainerCommand mapped -Command cat, /f) -eq 'ready' } -Because 'the container wrote /f'

        # Inside: root, the maps, the image's files root's, the default seccomp filter.
        Invoke-ContainerCommand mapped -Command id, -u | Should -Be '0'
        (Invoke-ContainerCommand mapped -Command cat, /proc/self/uid_map).Trim() -split '\s+' | Should -Be '0', "$base", '65536'
        (Invoke-ContainerCommand mapped -Command cat, /proc/self/gid_map).Trim() -split '\s+' | Should -Be '0', "$base", '65536'
        Invoke-ContainerCommand mapped -Command stat, -c, '%u:%g', /bin/busybox, /, /f | Should -Be '0:0', '0:0', '0:0'
        (Invoke-ContainerCommand mapped -Command grep, 'Seccomp:', /proc/self/status) -replace '\s+', ' ' | Should -Be 'Seccomp: 2'
        # A user of the image is the range's id 1000 on the host.
        Invoke-ContainerCommand mapped -User 1000 -Command id, -u | Should -Be '1000'

        # The folder runc finds its mounts in is root's: the range may pass it, not write in it.
        & stat -c '%u:%g %a' (Join-Path /run/conman/userns $c.Id) | Should -Be "0:${base} 710"

        # On the host: the process and what it wrote are the range's; the image's folder is untouched.
        Get-HostIds (Get-Container mapped).Pid | Should -Be "${base}:${base}"
        Get-HostOwner (Join-Path (Get-TestLayout).UpperLayer($c.Id) 'f') | Should -Be "${base}:${base}"
        Get-HostOwner (Join-Path $RootFs 'bin/busybox') | Should -Be '0:0'
        Get-ClaimCount | Should -Be 1
        & stat -c '%u %a' /var/lib/conman/idranges | Should -Be '0 700' -Because 'the host-wide claims are root''s alone'

        # A second one gets a range of its own.
        $other = New-Container -RootFs $RootFs -UserNs auto:size=1024 -Command true
        $other.UidMap[0] | Should -Match '^0:\d+:1024$'
        [uint32] $otherBase = $other.UidMap[0].Split(':')[1]
        ($otherBase -ge $base + 65536 -or $otherBase + 1024 -le $base) | Should -BeTrue -Because 'two auto ranges never overlap'

        Get-Container | Remove-Container -Force
        Get-ClaimCount | Should -Be 0
        Assert-NoResidue
        @(Get-ChildItem /run/conman/userns -ErrorAction Ignore | Where-Object Name -in $c.Id, $other.Id) | Should -BeNullOrEmpty
    }

    It 'takes explicit maps (-UidMap, -GidMap) and leaves nothing mounted after each run' {
        $c = New-Container -RootFs $RootFs -Name explicit -UidMap 0:3000000:70000 -GidMap 0:4000000:70000 `
            -Command sh, -c, 'cat /proc/self/uid_map /proc/self/gid_map; stat -c %u:%g /etc/passwd'
        ($c.UserNamespace, $c.UidMap, $c.GidMap) | Should -Be 'private', '0:3000000:70000', '0:4000000:70000'
        $out = Start-Container explicit -Attach
        ($out | ForEach-Object { ($_.Trim() -split '\s+') -join ' ' }) | Should -Be '0 3000000 70000', '0 4000000 70000', '0:0'
        (Get-Container explicit).ExitCode | Should -Be 0
        (Get-Residue).Mounts | Should -Be 0 -Because 'the overlay, its idmapped layers and the staged mounts go at exit'
        # -GidMap alone serves for both, as podman's.
        (New-Container -RootFs $RootFs -GidMap 0:5000000:100 -Command true).UidMap | Should -Be '0:5000000:100'
        Start-Container explicit -Attach | Select-Object -Last 1 | Should -Be '0:0' -Because 'a second run mounts it all again'
        # On the host's network there is no network namespace of its own for sysfs: /sys is the host's, read-only.
        Invoke-Container -RootFs $RootFs -UserNs auto -Network host -Command sh, -c, 'id -u; test -e /sys/class/net/lo && echo lo; grep -c " /sys sysfs ro," /proc/mounts' |
            Should -Be '0', 'lo', '1'
        Get-ClaimCount | Should -Be 2 -Because 'the shim of the removed one gave its claim back'
    }

    It 'refuses bad maps and modes before anything is made' {
        $before = Get-Residue
        foreach ($bad in @(
                @{ UidMap = '0:100000:0' }, @{ UidMap = '1:100000:10' }, @{ UidMap = '0:100000:10', '5:200000:10' },
                @{ UidMap = '0:100000:10', '20:100005:10' }, @{ UidMap = '0:4294967290:10' }, @{ UidMap = 'root:1:1' },
                @{ UserNs = 'bogus' }, @{ UserNs = 'auto:size=0' }, @{ UserNs = 'auto'; UidMap = '0:100000:10' })) {
            Assert-ConmanError { New-Container -RootFs $RootFs -Command true @bad -ErrorAction Stop } InvalidUserNamespace InvalidArgument
        }
        Get-Container | Should -BeNullOrEmpty
        (Get-Residue).Folders | Should -Be $before.Folders
        Get-ClaimCount | Should -Be 0
        # 'host' is the default, spelt out.
        (New-Container -RootFs $RootFs -UserNs host -Command true).UserNamespace | Should -Be 'host'
    }

    It 'gives volumes and the /etc files to the container''s root, copies in its ids, and commits in them' {
        $c = New-Container -RootFs $RootFs -Name files -UserNs auto -Volume data:/data -Command sleep, 60
        [uint32] $base = $c.UidMap[0].Split(':')[1]
        Start-Container files
        Invoke-ContainerCommand files -Command sh, -c, 'echo v > /data/v && echo "10.0.0.9 extra" >> /etc/hosts && stat -c %u:%g /data /data/v /etc/hosts' |
            Should -Be '0:0', '0:0', '0:0'
        Get-HostOwner (Join-Path (Get-TestLayout).VolumeData('data') 'v') | Should -Be "${base}:${base}"

        # A host file (root's) copied in is the container's root's; one copied out is the host's root's.
        $hostFile = Join-Path (New-TestFolder 'copy') 'in.txt'
        Set-Content $hostFile 'from the host'
        Copy-ContainerItem -ToContainer files -Path $hostFile -Destination /in.txt
        Invoke-ContainerCommand files -Command stat, -c, '%u:%g', /in.txt | Should -Be '0:0'
        Invoke-ContainerCommand files -Command sh, -c, 'echo out > /out.txt; chown 1000:1000 /out.txt'
        $outFile = Join-Path (Split-Path $hostFile) 'out.txt'
        Copy-ContainerItem -FromContainer files -Path /out.txt -Destination $outFile
        Get-HostOwner $outFile | Should -Be '1000:1000'

        # A commit's layer has the container's ids, not the range's: a container on the host's namespace sees them so.
        Stop-Container files -Timeout 0
        New-ContainerImage files mapped:committed | Out-Null
        Invoke-Container mapped:committed -Command stat, -c, '%u:%g', /out.txt, /in.txt | Should -Be '1000:1000', '0:0'

        # The volume is kept, with what the container wrote, for the next container of the same range or the host's root.
        Remove-Container files
        Invoke-Container $RootFs -Volume data:/data -Command cat, /data/v | Should -Be 'v'
    }

    It 'gives a mount with :U to the container''s user, through its maps, and takes SELinux''s z and Z as no-ops' {
        $folder = New-TestFolder 'owned'
        New-Item -ItemType Directory (Join-Path $folder 'sub') | Out-Null
        Set-Content (Join-Path $folder 'sub/f') 'host file'
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'link') -Target /etc/hostname | Out-Null
        $c = New-Container -RootFs $RootFs -Name owner -UserNs auto -Volume "${folder}:/data:U,Z" -Command sh, -c, 'stat -c %u:%g /data /data/sub/f; echo more >> /data/sub/f && echo written'
        $c.Volumes | Should -Be "${folder}:/data:U"
        [uint32] $base = $c.UidMap[0].Split(':')[1]
        Start-Container owner -Attach | Should -Be '0:0', '0:0', 'written'
        Get-HostOwner (Join-Path $folder 'sub/f') | Should -Be "${base}:${base}"
        Get-HostOwner /etc/hostname | Should -Be '0:0' -Because 'a link is changed itself, never what it points at'
        # Without a user namespace, the container's user is the host's id: -User 1000 gets the volume as 1000.
        Invoke-Container $RootFs -User 1000:1000 -Volume shared:/shared:U -Command sh, -c, 'touch /shared/mine && stat -c %u:%g /shared/mine' | Should -Be '1000:1000'
        Invoke-Container $RootFs -Volume "${folder}:/data:z" -Command true
        $LASTEXITCODE | Should -Be 0
    }

    It 'publishes a port and runs its init and health check in the namespace' {
        $port = Get-FreePort
        $www = New-TestFolder 'www'
        Set-Content (Join-Path $www 'index.html') 'mapped web'
        New-Container -RootFs $RootFs -Name web -UserNs auto -Init -Publish "127.0.0.1:${port}:80" -Volume "${www}:/www:ro" `
            -HealthCommand 'test -e /www/index.html' -HealthInterval ([TimeSpan]::FromSeconds(1)) -Command httpd, -f, -p, 80, -h, /www |
            Start-Container
        Wait-ContainerReady web -Healthy -Timeout 30 | Out-Null
        $client = [System.Net.Http.HttpClient]::new()
        $client.Timeout = [TimeSpan]::FromSeconds(5)
        try { $client.GetStringAsync("http://127.0.0.1:$port/").GetAwaiter().GetResult().Trim() | Should -Be 'mapped web' }
        finally { $client.Dispose() }
        Invoke-ContainerCommand web -Command cat, /proc/1/cmdline | Should -Match '^/dev/init'
        Remove-Container web -Force
        Assert-NoResidue
    }

    It '10 sessions making -UserNs auto containers at once get 10 ranges that do not overlap' {
        $script = "(New-Container '$RootFs' -UserNs auto -Command true).UidMap[0]"
        $maps = (Invoke-Concurrently -Script $script -Sessions 10) -split "`n" | ForEach-Object Trim | Where-Object { $_ -match '^0:\d+:65536$' }
        $maps | Should -HaveCount 10
        $starts = $maps | ForEach-Object { [uint32] $_.Split(':')[1] } | Sort-Object
        for ($i = 1; $i -lt $starts.Count; $i++) { $starts[$i] - $starts[$i - 1] | Should -BeGreaterOrEqual 65536 }
        Get-ClaimCount | Should -Be 10
        Get-Container | Remove-Container
        Get-ClaimCount | Should -Be 0
    }

    It 'gives -UserNs auto no id that an explicit map holds' {
        $first = New-Container -RootFs $RootFs -UserNs auto -Command true
        [uint32] $base = $first.UidMap[0].Split(':')[1]
        # The range right after the first auto one, taken by hand: the next auto range must go past it.
        New-Container -RootFs $RootFs -UidMap "0:$($base + 65536):65536" -Command true | Out-Null
        [uint32] $next = (New-Container -RootFs $RootFs -UserNs auto -Command true).UidMap[0].Split(':')[1]
        $next | Should -BeGreaterOrEqual ($base + 2 * 65536)
        Get-ClaimCount | Should -Be 3
        Get-Container | Remove-Container
        Get-ClaimCount | Should -Be 0
    }

    It 'removes one whose record is damaged after its shim died, with all its mounts' {
        New-Container -RootFs $RootFs -Name damaged -UserNs auto -Volume /anon -Command sleep, 60 | Start-Container
        $id = (Get-Container damaged).Id
        $shim = (Read-StoreRecord RunRecord (Get-TestLayout).RunPath($id)).Shim.Pid
        Stop-Process -Id $shim -Force
        Wait-Until { (Get-Container damaged).State -eq 'Unknown' } -Because 'the shim died'
        [System.IO.File]::WriteAllBytes((Get-TestLayout).RecordPath($id), [byte[]]::new(0))
        (Get-Container -Id $id).StateReason | Should -Match 'cannot be read'
        Remove-Container -Id $id -Force
        Assert-NoResidue
        Test-Path (Join-Path /run/conman/userns $id) | Should -BeFalse
        Test-Path (Get-TestLayout).UserNamespacePath($id) | Should -BeFalse
        Get-ClaimCount | Should -Be 0
    }

    It 'leaves nothing after its shim is killed and Remove-Container -Force' {
        New-Container -RootFs $RootFs -Name lost -UserNs auto -Volume keep:/keep -Command sleep, 60 | Start-Container
        $id = (Get-Container lost).Id
        $shim = (Read-StoreRecord RunRecord (Get-TestLayout).RunPath($id)).Shim.Pid
        Stop-Process -Id $shim -Force
        Wait-Until { (Get-Container lost).State -eq 'Unknown' } -Because 'the shim died'
        Remove-Container lost -Force
        Assert-NoResidue
        Test-Path (Join-Path '/run/conman/userns' $id) | Should -BeFalse
        Get-ClaimCount | Should -Be 0
        Get-ContainerVolume keep | Should -Not -BeNullOrEmpty -Because 'a named volume outlives its container'
    }
}
