# Files in and out of containers (docker cp) and what a container changed (docker diff), on running
# and stopped containers, including containers whose symbolic links point out of their root.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    $script:Work = New-TestFolder 'files'
    # A host tree of every kind of entry a copy keeps.
    $script:Tree = Join-Path $Work 'tree'
    New-Item -ItemType Directory -Path (Join-Path $Tree 'sub') | Out-Null
    Set-Content (Join-Path $Tree 'sub/owned') 'mine' -NoNewline
    & chown 1234:5678 (Join-Path $Tree 'sub/owned')
    & chmod 4750 (Join-Path $Tree 'sub/owned')
    & touch -h -d '2024-01-02 03:04:05Z' (Join-Path $Tree 'sub/owned')
    & ln (Join-Path $Tree 'sub/owned') (Join-Path $Tree 'hard')
    & ln -s sub/owned (Join-Path $Tree 'soft')
    & mkfifo (Join-Path $Tree 'fifo')
    & chown 42:43 (Join-Path $Tree 'sub')
    & chmod 710 (Join-Path $Tree 'sub')
    # What a hostile container must never read or write: a host file beside its links' targets.
    $script:Secret = Join-Path $Work 'secret.txt'
    Set-Content $Secret 'host secret' -NoNewline
    # stat in the container and on the host, in one format: owner, mode in octal, links, mtime, type.
    $script:StatFormat = '%n %u:%g %a %h %Y %F'
}
AfterAll { Complete-TestFile }

Describe 'Copy-ContainerItem' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        New-Container $RootFs -Name box -Command sleep, 300 | Start-Container
    }
    AfterEach { Exit-TestRoot }

    It 'copies a tree into a running container and out of it stopped, keeping owners, modes, times and links' {
        Copy-ContainerItem -ToContainer box -Path $Tree -Destination /tmp
        $inside = Invoke-ContainerCommand box sh, -c, "cd /tmp/tree && stat -c '$StatFormat' sub sub/owned hard soft fifo && readlink soft && cat hard"
        $inside[1] | Should -Be 'sub/owned 1234:5678 4750 2 1704164645 regular file'
        $inside[2] | Should -Be 'hard 1234:5678 4750 2 1704164645 regular file'
        $inside[0] | Should -Match '^sub 42:43 710 2 \d+ directory$'
        $inside[3] | Should -Match '^soft 0:0 777 1 \d+ symbolic link$'
        $inside[4] | Should -Match '^fifo 0:0 644 1 \d+ fifo$'
        $inside[5..6] | Should -Be @('sub/owned', 'mine')

        Invoke-ContainerCommand box sh, -c, 'echo changed > /tmp/tree/sub/new; rm /tmp/tree/fifo' | Out-Null
        Stop-Container box -Force | Out-Null
        $out = Join-Path $Work 'out'
        New-Item -ItemType Directory -Path $out | Out-Null
        Copy-ContainerItem -FromContainer box -Path /tmp/tree -Destination $out
        Push-Location (Join-Path $out 'tree')
        try {
            & stat -c $StatFormat sub/owned hard | Should -Be @('sub/owned 1234:5678 4750 2 1704164645 regular file', 'hard 1234:5678 4750 2 1704164645 regular file')
            & stat -c '%u:%g %a' sub | Should -Be '42:43 710'
            (Get-Item soft).LinkTarget | Should -Be 'sub/owned'
            Get-Content sub/new | Should -Be 'changed'
            Test-Path fifo | Should -BeFalse
        }
        finally { Pop-Location }
        # A file given a new name; a stopped container's copy leaves no mount behind.
        Copy-ContainerItem -FromContainer box -Path /tmp/tree/sub/owned -Destination (Join-Path $out 'renamed')
        Get-Content (Join-Path $out 'renamed') | Should -Be 'mine'
        Copy-ContainerItem -ToContainer box -Path $Secret -Destination /tmp/tree/sub/owned
        Start-Container box
        Invoke-ContainerCommand box cat, /tmp/tree/sub/owned | Should -Be 'host secret'
        Stop-Container box -Force | Out-Null
        (Get-Residue).Mounts | Should -Be 0
    }

    It 'never follows a container''s links out of its root (<State>)' -ForEach @(@{ State = 'Running' }, @{ State = 'Exited' }) {
        $hostFolder = Split-Path $Secret
        # Links a hostile process would make: to the host file by its host path, up and out with "..", and a folder link.
        $links = "ln -s $Secret /leak; ln -s ../../../../../../..$Secret /up; ln -s $hostFolder /hostdir; ln -s / /rootlink"
        Invoke-ContainerCommand box sh, -c, $links | Out-Null
        if ($State -eq 'Exited') { Stop-Container box -Force | Out-Null }
        $out = Join-Path $Work "hostile-$State"
        New-Item -ItemType Directory -Path $out | Out-Null

        # A link is copied as a link, never read through.
        Copy-ContainerItem -FromContainer box -Path /leak -Destination $out
        (Get-Item (Join-Path $out 'leak')).LinkTarget | Should -Be $Secret
        # Through a link, a path resolves inside the container, where the host's file is not.
        Assert-ConmanError { Copy-ContainerItem -FromContainer box -Path /up/x -Destination $out -ErrorAction Stop } ContainerPathNotFound ObjectNotFound
        Assert-ConmanError { Copy-ContainerItem -FromContainer box -Path "/hostdir/$(Split-Path $Secret -Leaf)" -Destination $out -ErrorAction Stop } ContainerPathNotFound ObjectNotFound
        Assert-ConmanError { Copy-ContainerItem -ToContainer box -Path $Tree -Destination /hostdir/tree -ErrorAction Stop } ContainerPathNotFound ObjectNotFound
        Test-Path (Join-Path $hostFolder 'tree/tree') | Should -BeFalse -Because 'nothing was copied into the host''s folder'
        # "/rootlink/tmp" is the container's /tmp.
        $file = Join-Path $Work 'hostile'
        Set-Content $file 'in the container'
        Copy-ContainerItem -ToContainer box -Path $file -Destination /rootlink/tmp
        # Writing over a link replaces the link; the host file it named is untouched.
        Copy-ContainerItem -ToContainer box -Path $file -Destination /leak
        Get-Content $Secret | Should -Be 'host secret'
        if ($State -eq 'Exited') { Start-Container box }
        Invoke-ContainerCommand box sh, -c, 'cat /tmp/hostile /leak; test -L /leak || echo replaced' | Should -Be @('in the container', 'in the container', 'replaced')
    }

    It 'copies into and out of a folder below a volume of a running container' {
        # The volume is another mount in the container: a path below it crosses into it, as the container's own lookups do.
        New-Container $RootFs -Name vol -Volume data:/data -Command sleep, 300 | Start-Container
        Invoke-ContainerCommand vol mkdir, -p, /data/sub | Out-Null
        Copy-ContainerItem -ToContainer vol -Path $Secret -Destination /data/sub/in.txt
        Invoke-ContainerCommand vol cat, /data/sub/in.txt | Should -Be 'host secret'
        $out = Join-Path $Work 'below-volume'
        New-Item -ItemType Directory -Path $out | Out-Null
        Copy-ContainerItem -FromContainer vol -Path /data/sub -Destination $out
        Get-Content (Join-Path $out 'sub/in.txt') | Should -Be 'host secret'
    }

    It 'copies / out of a running container as docker cp does: its files and volumes, the kernel''s file systems as empty folders' {
        New-Container $RootFs -Name whole -Volume data:/data -Command sh, -c, 'echo kept > /data/kept; echo made > /tmp/made; exec sleep 300' | Start-Container
        Wait-ContainerReady whole -Command test, -e, /data/kept
        $out = Join-Path $Work 'whole'
        Copy-ContainerItem -FromContainer whole -Path / -Destination $out
        Get-Content (Join-Path $out 'data/kept') | Should -Be 'kept'
        Get-Content (Join-Path $out 'tmp/made') | Should -Be 'made'
        Get-Content (Join-Path $out 'etc/passwd') | Should -Not -BeNullOrEmpty
        # proc, sysfs, devpts, mqueue: their mount points, with nothing below.
        foreach ($point in 'proc', 'sys', 'dev/pts', 'dev/mqueue') {
            Test-Path (Join-Path $out $point) -PathType Container | Should -BeTrue
            Get-ChildItem -Force (Join-Path $out $point) | Should -BeNullOrEmpty
        }
        # The devices runc made in the container's /dev are nodes, never read.
        & stat -c '%F %t:%T' (Join-Path $out 'dev/null') | Should -Be 'character special file 1:3'
        # A path in one of them holds nothing of the container's, either way.
        Assert-ConmanError { Copy-ContainerItem -FromContainer whole -Path /proc/cpuinfo -Destination $Work -ErrorAction Stop } ContainerPathNotCopyable InvalidArgument
        Assert-ConmanError { Copy-ContainerItem -FromContainer whole -Path /sys/fs/cgroup -Destination $Work -ErrorAction Stop } ContainerPathNotCopyable InvalidArgument
        Assert-ConmanError { Copy-ContainerItem -ToContainer whole -Path $Secret -Destination /proc/secret -ErrorAction Stop } ContainerPathNotCopyable InvalidArgument
    }

    It 'says what is missing, and changes nothing' {
        Assert-ConmanError { Copy-ContainerItem -FromContainer box -Path /no/such -Destination $Work -ErrorAction Stop } ContainerPathNotFound ObjectNotFound
        Assert-ConmanError { Copy-ContainerItem -FromContainer box -Path /etc/hostname -Destination (Join-Path $Work 'no/such/folder') -ErrorAction Stop } HostPathNotFound ObjectNotFound
        Assert-ConmanError { Copy-ContainerItem -ToContainer box -Path (Join-Path $Work 'no-such') -Destination /tmp -ErrorAction Stop } HostPathNotFound ObjectNotFound
        Assert-ConmanError { Copy-ContainerItem -ToContainer nobox -Path $Tree -Destination /tmp -ErrorAction Stop } ContainerNotFound ObjectNotFound
        Invoke-ContainerCommand box ls, /tmp | Should -BeNullOrEmpty
    }
}

Describe 'Get-ContainerChange' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'lists what a container added, changed and deleted, as docker diff does' {
        New-Container $RootFs -Name diff -Command sh, -c, 'mkdir /new; echo x > /new/file; echo y >> /etc/passwd; rm /etc/group' | Start-Container -Attach | Out-Null
        $changes = Get-ContainerChange diff
        ($changes | ForEach-Object ToString) | Should -Be @('C /etc', 'D /etc/group', 'C /etc/passwd', 'A /new', 'A /new/file')
        $changes[0] | Should -BeOfType ([Conman.ContainerChange])
        New-Container $RootFs -Name untouched -Command true | Out-Null
        Get-ContainerChange untouched | Should -BeNullOrEmpty
    }
}

Describe 'New-ContainerImage (commit)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
        $script:BusyboxLayout = Join-Path $Work 'busybox'
        New-OciImageLayout -Path $BusyboxLayout -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'busybox:test' -Config @{ Cmd = @('sh'); Env = @('PATH=/bin', 'KEEP=1') } | Out-Null
    }
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'commits a container''s layer on its image''s, deletions included, with its settings and -Change edits' {
        $base = Import-ContainerImage $BusyboxLayout
        $script = 'mkdir -p /srv/app && echo v1 > /srv/app/version && chown 7:8 /srv/app/version && chmod 4711 /srv/app/version; rm /etc/group; ln -s version /srv/app/current'
        New-Container -Image busybox:test -Name maker -Command sh, -c, $script -Environment @{ MODE = 'made' } -WorkingDirectory /srv | Start-Container -Attach | Out-Null
        $image = New-ContainerImage maker app:1 -Change 'CMD ["cat","/srv/app/current"]', 'LABEL stage=made', 'ENV EXTRA="two words"' -Message 'made by a test'
        $image.Reference | Should -Be 'docker.io/library/app:1'
        $image.Layers.Count | Should -Be 2
        $image.Layers[0].DiffId | Should -Be $base.Layers[0].DiffId
        $image.Command | Should -Be @('cat', '/srv/app/current')
        $image.Labels['stage'] | Should -Be 'made'
        $image.WorkingDirectory | Should -Be '/srv'
        $image.Environment | Should -Contain 'MODE=made'
        $image.Environment | Should -Contain 'EXTRA=two words'
        $image.Environment | Should -Contain 'KEEP=1'
        Invoke-Container -Image app:1 | Should -Be 'v1'
        Invoke-Container -Image app:1 -Command sh, -c, 'stat -c "%u:%g %a" /srv/app/version; test -e /etc/group && echo present || echo deleted; echo $MODE' |
            Should -Be @('7:8 4711', 'deleted', 'made')
        # Its layer holds what the container changed, and none of the mount points runc made.
        $layer = Join-Path $Work 'committed.tar'
        Export-ContainerImage app:1 -Path $layer
        $entries = & tar -xOf $layer "$($image.Layers[1].DiffId.Substring(7))/layer.tar" | & tar -t
        $entries | Should -Contain 'srv/app/version'
        $entries | Should -Contain 'etc/.wh.group'
        $entries | Should -Not -Contain 'proc/'
    }

    It 'commits a container of a root filesystem folder as two layers, and refuses a -Change that is not a config instruction' {
        New-Container $RootFs -Name folder -Command sh, -c, 'echo made > /made' | Start-Container -Attach | Out-Null
        $image = New-ContainerImage folder folder:1
        $image.Layers.Count | Should -Be 2
        Invoke-Container -Image folder:1 -Command cat, /made | Should -Be 'made'
        Assert-ConmanError { New-ContainerImage folder folder:2 -Change 'RUN echo no' -ErrorAction Stop } InvalidInstruction InvalidArgument
        Assert-ConmanError { New-ContainerImage folder folder:2 -Change 'ENV' -ErrorAction Stop } InvalidInstruction InvalidArgument
        Get-ContainerImage folder:2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Residue).Ingest | Should -Be 0
    }
}
