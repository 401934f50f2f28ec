# Volumes as Docker's: named ones that outlive their containers and are shared, anonymous ones (-Volume /path
# and an image's VOLUME entries), the image's files copied into a new volume, refusals, prune; and -Device.
# The image is built here: busybox plus a /seed folder owned by 1000:1000, with VOLUME /seed and /anon.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
    $script:RootFs = $rootFs
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $script:Layout = Join-Path (New-TestFolder 'volumes') 'image'
    $seed = New-LayerTar -Entries @(
        @{ Name = 'seed/'; Type = 'Directory'; Mode = '750'; Uid = 1000; Gid = 1000 }
        @{ Name = 'seed/hello.txt'; Content = 'from the image'; Mode = '640'; Uid = 1000; Gid = 1000 }
    )
    New-OciImageLayout -Path $Layout -LayerTars @((New-LayerTar -Folder $rootFs), $seed) -Name 'busybox:volumes' `
        -Config @{ Cmd = @('sh'); Env = @('PATH=/bin'); Volumes = @{ '/seed' = @{}; '/anon' = @{} } } | Out-Null
    function script:Get-VolumeFolderCount {
        @(Get-ChildItem (Get-TestLayout).VolumesFolder -Directory -ErrorAction Ignore).Count
    }
}
AfterAll { Complete-TestFile }

Describe 'Volumes' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'keeps a named volume''s data after its container, shares it between containers, and mounts it read-only when asked' {
        Invoke-Container $RootFs -Volume data:/data -Command sh, -c, 'echo one > /data/f' | Should -BeNullOrEmpty
        $volume = Get-ContainerVolume data
        ($volume.Anonymous, $volume.Containers.Count) | Should -Be $false, 0
        $volume.Mountpoint | Should -Be (Get-TestLayout).VolumeData('data')
        (New-Container $RootFs -Name writer -Volume data:/shared -Command sleep, 60 | Start-Container -PassThru).Volumes | Should -Be 'data:/shared'
        Invoke-ContainerCommand -Name writer -Command sh, -c, 'echo two >> /shared/f'
        Invoke-Container $RootFs -Volume data:/d:ro -Command sh, -c, 'cat /d/f; (echo x > /d/g) 2>/dev/null || echo refused' | Should -Be 'one', 'two', 'refused'
        (Get-ContainerVolume data).Containers | Should -Be 'writer'
        Remove-Container writer -Force -Volumes
        Invoke-Container $RootFs -Volume data:/data -Command cat, /data/f | Should -Be 'one', 'two'
        # The data folder is root's alone above the volume.
        [int] (Get-Item (Get-TestLayout).VolumesFolder).UnixFileMode | Should -Be ([Convert]::ToInt32('700', 8))
    }

    It 'fills an empty volume with the image''s files at its path, owners and modes kept, and never overwrites them' {
        Import-ContainerImage $Layout | Out-Null
        $stat = 'stat -c "%n %u:%g %a" /seed /seed/hello.txt; cat /seed/hello.txt'
        Invoke-Container -Image busybox:volumes -Volume seeded:/seed -Command sh, -c, "$stat; echo mine > /seed/hello.txt" |
            Should -Be '/seed 1000:1000 750', '/seed/hello.txt 1000:1000 640', 'from the image'
        Invoke-Container -Image busybox:volumes -Volume seeded:/seed -Command cat, /seed/hello.txt | Should -Be 'mine'
        # A bind mount gets nothing from the image; nor does a volume mounted where the image has no folder.
        Invoke-Container -Image busybox:volumes -Volume seeded:/elsewhere -Command cat, /elsewhere/hello.txt | Should -Be 'mine'
        Invoke-Container -Image busybox:volumes -Volume fresh:/nothing-here -Command ls, -A, /nothing-here | Should -BeNullOrEmpty
    }

    It 'makes anonymous volumes for the image''s VOLUME entries and -Volume /path, removed only with -Volumes or -AutoRemove' {
        Import-ContainerImage $Layout | Out-Null
        New-Container -Image busybox:volumes -Name kept -Volume /extra -Command sh, -c, 'cat /seed/hello.txt; echo x > /extra/y' | Out-Null
        $anonymous = @(Get-ContainerVolume | Where-Object Anonymous)
        $anonymous.Count | Should -Be 3
        $anonymous | ForEach-Object { $_.Name | Should -Match '^[0-9a-f]{64}$'; $_.Containers | Should -Be 'kept' }
        Start-Container kept -Attach | Should -Be 'from the image'
        Remove-Container kept
        @(Get-ContainerVolume | Where-Object { $_.Anonymous -and $_.Containers.Count -eq 0 }).Count | Should -Be 3 -Because 'docker rm without -v keeps them'

        # A mount of the user's at an image VOLUME path replaces its anonymous volume.
        New-Container -Image busybox:volumes -Name removed -Volume named:/seed | Out-Null
        @(Get-ContainerVolume | Where-Object { 'removed' -in $_.Containers }).Count | Should -Be 2
        Remove-Container removed -Volumes
        @(Get-ContainerVolume | Where-Object Anonymous).Count | Should -Be 3
        (Get-ContainerVolume named).Containers.Count | Should -Be 0 -Because 'named volumes stay'

        # docker run --rm: the shim removes the container and its anonymous volumes once it exited.
        $auto = New-Container -Image busybox:volumes -AutoRemove -Command true
        $auto | Start-Container
        # After the container, the shim removes its volumes.
        Wait-Until { -not (Get-Container -Id $auto.Id -ErrorAction Ignore) -and @(Get-ContainerVolume | Where-Object Anonymous).Count -eq 3 } `
            -Because 'the shim removes it and its anonymous volumes'
        Invoke-Container -Image busybox:volumes -Command true
        @(Get-ContainerVolume | Where-Object Anonymous).Count | Should -Be 3 -Because 'Invoke-Container removes as docker run --rm'
        Assert-NoResidue
    }

    It 'refuses to remove a volume that a container mounts, running or not, and prunes the unused ones' {
        New-ContainerVolume idle -Label @{ tier = 'db' } | Select-Object -ExpandProperty Labels | ForEach-Object { $_['tier'] } | Should -Be 'db'
        New-Container $RootFs -Name stopped -Volume used:/x, /anonymous | Out-Null
        New-Container $RootFs -Name running -Volume live:/x -Command sleep, 60 | Start-Container
        Invoke-Container $RootFs -Volume /gone -Keep -Name left | Out-Null
        Remove-Container left
        Assert-ConmanError { Remove-ContainerVolume used -ErrorAction Stop } VolumeInUse InvalidOperation used
        Assert-ConmanError { Remove-ContainerVolume live -ErrorAction Stop } VolumeInUse InvalidOperation live
        Assert-ConmanError { Remove-ContainerVolume ghost -ErrorAction Stop } VolumeNotFound ObjectNotFound ghost
        Assert-ConmanError { Get-ContainerVolume ghost -ErrorAction Stop } VolumeNotFound ObjectNotFound ghost

        $before = @(Get-ContainerVolume).Name
        Remove-ContainerVolume -Unused -WhatIf
        Get-ContainerVolume | Remove-ContainerVolume -WhatIf
        @(Get-ContainerVolume).Name | Should -Be $before
        # -Anonymous: docker volume prune, which keeps named volumes.
        (Remove-ContainerVolume -Unused -Force -Anonymous -PassThru).Anonymous | Should -Be $true
        @(Get-ContainerVolume).Count | Should -Be ($before.Count - 1)
        (Remove-ContainerVolume -Unused -Force -PassThru).Name | Should -Be 'idle'
        $left = @(Get-ContainerVolume)
        @($left | Where-Object { -not $_.Anonymous } | Sort-Object Name).Name | Should -Be 'live', 'used'
        ($left | Where-Object Anonymous).Containers | Should -Be 'stopped'
        Get-VolumeFolderCount | Should -Be 3

        Remove-Container stopped, running -Force
        Remove-ContainerVolume used, live
        Remove-ContainerVolume -Unused -Force
        Get-ContainerVolume | Should -BeNullOrEmpty
        Get-VolumeFolderCount | Should -Be 0
    }

    It 'keeps a volume that a container with a damaged record may mount, until that container is removed' {
        $damaged = New-Container $RootFs -Name broken -Volume kept:/x, /anon
        New-ContainerVolume spare | Out-Null
        $anonymous = (Get-ContainerVolume | Where-Object Anonymous).Name
        $record = (Get-TestLayout).RecordPath($damaged.Id)
        # Cut short: the record no longer parses, but still holds the volumes' names.
        $bytes = [System.IO.File]::ReadAllBytes($record)
        [System.IO.File]::WriteAllBytes($record, $bytes[0..($bytes.Length - 3)])
        (Get-Container -Id $damaged.Id).State | Should -Be 'Unknown'
        Assert-ConmanError { Remove-ContainerVolume kept -ErrorAction Stop } VolumeInUse InvalidOperation kept
        (Remove-ContainerVolume -Unused -Force -PassThru).Name | Should -Be 'spare' -Because 'what the damaged record names is not unused'
        @(Get-ContainerVolume).Name | Sort-Object | Should -Be (@('kept', $anonymous) | Sort-Object)
        Remove-Container $damaged.Id -Force
        Remove-ContainerVolume -Unused -Force
        Get-ContainerVolume | Should -BeNullOrEmpty
    }

    It 'refuses bad names and forms, changing nothing, and completes volume names' {
        Assert-ConmanError { New-Container $RootFs -Volume 'x:/data' -ErrorAction Stop } InvalidVolumeName InvalidArgument 'x'
        Assert-ConmanError { New-Container $RootFs -Volume 'sub/dir:/data' -ErrorAction Stop } InvalidVolumeSpec InvalidArgument
        Assert-ConmanError { New-Container $RootFs -Volume 'data:relative' -ErrorAction Stop } InvalidVolumeSpec InvalidArgument
        Assert-ConmanError { New-Container $RootFs -Volume 'data:/x', '/x/' -ErrorAction Stop } InvalidVolumeSpec InvalidArgument
        Assert-ConmanError { New-ContainerVolume '../escape' -ErrorAction Stop } InvalidVolumeName InvalidArgument
        Assert-ConmanError { New-ContainerVolume '-x' -ErrorAction Stop } InvalidVolumeName InvalidArgument
        Get-Container | Should -BeNullOrEmpty
        Get-VolumeFolderCount | Should -Be 0

        New-ContainerVolume data | Out-Null
        Assert-ConmanError { New-ContainerVolume data -ErrorAction Stop } VolumeNameInUse ResourceExists data
        New-ContainerVolume other -WhatIf
        (Get-ContainerVolume).Name | Should -Be 'data'
        $line = 'Get-ContainerVolume da'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'data'
        (Get-ContainerVolume | Format-Table | Out-String) | Should -Match 'Name\s+Anonymous\s+CreatedAt\s+Containers'
    }
}

Describe 'Devices' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'makes a host device in the container under another name, with only the permissions asked' {
        # runc allows /dev/zero and the like in every container; cpu_dma_latency it does not, and reading it is harmless.
        $probe = 'ls -l /dev/latency | cut -c1; head -c 4 /dev/latency | wc -c; (echo x > /dev/latency) 2>/dev/null && echo written || echo refused'
        $out = Invoke-Container $RootFs -Device /dev/cpu_dma_latency:/dev/latency:r -Command sh, -c, $probe
        $out[0] | Should -Be 'c'
        $out[1].Trim() | Should -Be '4'
        $out[2] | Should -Be 'refused' -Because 'the devices cgroup allows reading only'
        # Without -Device the node is absent, and one made with mknod cannot be opened.
        $made = 'test -e /dev/latency || echo absent; mknod /dev/made c 10 259; (head -c 4 /dev/made) 2>/dev/null || echo refused'
        Invoke-Container $RootFs -Command sh, -c, $made | Should -Be 'absent', 'refused'
        Invoke-Container $RootFs -Device /dev/zero:/dev/nothing -Command sh, -c, 'head -c 3 /dev/nothing | od -An -tx1' | ForEach-Object Trim | Should -Be '00 00 00'
        (New-Container $RootFs -Device /dev/zero:/dev/nothing:r).Devices | Should -Be '/dev/zero:/dev/nothing:r'
        Remove-Container -Name (Get-Container).Name
        Assert-ConmanError { New-Container $RootFs -Device /etc/passwd -ErrorAction Stop } InvalidDevice InvalidArgument
        Assert-ConmanError { New-Container $RootFs -Device /dev/zero:/dev/x:rwx -ErrorAction Stop } InvalidDevice InvalidArgument
        Get-Container | Should -BeNullOrEmpty
    }

    It 'makes every device node of a host folder, at the same place below the container path' {
        $folder = New-TestFolder 'devices'
        New-Item -ItemType Directory (Join-Path $folder 'sub') | Out-Null
        & mknod (Join-Path $folder 'zero') c 1 5
        & mknod (Join-Path $folder 'sub/null') c 1 3
        Set-Content (Join-Path $folder 'notes') 'not a device'
        $out = Invoke-Container $RootFs -Device "${folder}:/dev/mine" -Command sh, -c, 'find /dev/mine | sort; head -c 2 /dev/mine/zero | od -An -tx1'
        $out | Select-Object -First 4 | Should -Be '/dev/mine', '/dev/mine/sub', '/dev/mine/sub/null', '/dev/mine/zero'
        $out[-1].Trim() | Should -Be '00 00'
        Assert-ConmanError { New-Container $RootFs -Device (New-TestFolder 'empty') -ErrorAction Stop } InvalidDevice InvalidArgument
    }
}
