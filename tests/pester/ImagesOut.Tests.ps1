# Images going out (issue 13): tags, exports read back by Conman, skopeo and podman, pushes to a real
# docker-registry on loopback. The images are built here from busybox-static (build/OciImage.psm1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/TestRegistry.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/Podman.psm1') -Force
    $script:Work = New-TestFolder 'images-out'
    $script:BusyboxTar = New-LayerTar -Folder $rootFs
    $script:Busybox = Join-Path $Work 'busybox'
    New-OciImageLayout -Path $Busybox -LayerTars @(, $BusyboxTar) -Name 'busybox:test' -Config @{ Cmd = @('sh') } | Out-Null
    # A layer of every kind of entry the unpacker turns into something else on disk, which must go out byte for byte.
    $script:Tricky = Join-Path $Work 'tricky'
    $base = New-LayerTar -Entries @(
        @{ Name = 'data/'; Type = 'Directory' }
        @{ Name = 'data/a'; Content = 'a' }
        @{ Name = 'remove-me'; Content = 'gone' }
        @{ Name = 'empty'; Content = '' }
    )
    $top = New-LayerTar -Entries @(
        @{ Name = 'data/'; Type = 'Directory'; Mode = '750'; Uid = 7 }
        @{ Name = 'data/.wh..wh..opq'; Content = '' }
        @{ Name = 'data/c'; Content = ('c' * 70000) }
        @{ Name = '.wh.remove-me'; Content = '' }
        @{ Name = 'owned'; Content = 'mine'; Uid = 1000; Gid = 1000; Mode = '4755' }
        @{ Name = 'hard'; Type = 'HardLink'; LinkName = 'owned' }
        @{ Name = 'soft'; Type = 'SymbolicLink'; LinkName = '/etc/../owned' }
        @{ Name = 'null'; Type = 'CharacterDevice'; Major = 1; Minor = 3; Mode = '666' }
        @{ Name = 'fifo'; Type = 'Fifo' }
        @{ Name = ('long/' * 30) + 'name'; Content = 'a path longer than ustar holds' }
    )
    New-OciImageLayout -Path $Tricky -LayerTars @($BusyboxTar, $base, $top) -Name 'tricky:1' -Config @{ Cmd = @('sh') } | Out-Null
    $script:Podman = New-PodmanStore (Join-Path $Work 'podman')
}
AfterAll {
    Remove-PodmanStore $script:Podman
    Complete-TestFile
}

Describe 'Tagging and exporting images' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'adds a tag, keeps the other names, and moves a name another image had' {
        $image = Import-ContainerImage $Busybox
        $tagged = Add-ContainerImageTag busybox:test localhost:5000/tools/box:1, second -PassThru
        $tagged.Reference | Should -Be @('docker.io/library/busybox:test', 'localhost:5000/tools/box:1', 'docker.io/library/second:latest')
        (Get-ContainerImage localhost:5000/tools/box:1).Id | Should -Be $image.Id
        $other = Import-ContainerImage $Tricky
        Add-ContainerImageTag -InputObject $other[0] -Tag second
        (Get-ContainerImage second).Id | Should -Be $other.Id
        (Get-ContainerImage busybox:test).Reference | Should -Not -Contain 'docker.io/library/second:latest'
        Assert-ConmanError { Add-ContainerImageTag nothere x -ErrorAction Stop } ImageNotFound ObjectNotFound
        Assert-ConmanError { Add-ContainerImageTag busybox:test 'Bad/Name' -ErrorAction Stop } InvalidImageReference InvalidArgument
        Assert-ConmanError { Add-ContainerImageTag busybox:test "x@$($image.Digest)" -ErrorAction Stop } InvalidImageName InvalidArgument
    }

    It 'exports as <Format> that skopeo inspects and podman loads and runs, with the image''s id kept' -ForEach @(
        @{ Format = 'DockerArchive'; Transport = 'docker-archive' }
        @{ Format = 'OciArchive'; Transport = 'oci-archive' }
        @{ Format = 'OciLayout'; Transport = 'oci' }
    ) {
        $image = Import-ContainerImage $Busybox
        Add-ContainerImageTag busybox:test "localhost/exported/$($Format.ToLower()):1"
        $name = "localhost/exported/$($Format.ToLower()):1"
        $path = Join-Path $Work "export-$($Format.ToLower())"
        Export-ContainerImage $name -Path $path -Format $Format
        $inspected = Invoke-Skopeo inspect "${Transport}:$path" | ConvertFrom-Json
        $config = Invoke-Skopeo inspect --config "${Transport}:$path" | ConvertFrom-Json
        $config.rootfs.diff_ids | Should -Be @($image.Layers.DiffId)
        $config.config.Cmd | Should -Be @('sh')
        $inspected.Layers.Count | Should -Be 1

        # (podman 4.3 names what it loads from an OCI layout folder by the folder's path, hence a lowercase one.)
        Invoke-Podman $Podman load -i $path | Out-Null
        $id = $image.Id.Substring(7)
        Invoke-Podman $Podman image inspect $id --format '{{.Id}}' | Should -Be $id
        Invoke-PodmanRun $Podman $id sh, -c, 'echo run by podman' | Should -Be 'run by podman'
        Invoke-Podman $Podman rmi -f $id | Out-Null
        (Get-Residue).Ingest | Should -Be 0
    }

    It 'round-trips every kind of layer entry byte for byte: export, remove, import, run' {
        $image = Import-ContainerImage $Tricky
        foreach ($format in 'DockerArchive', 'OciArchive', 'OciLayout') {
            $path = Join-Path $Work "round-$format"
            Export-ContainerImage tricky:1 -Path $path -Format $format
            Remove-ContainerImage tricky:1
            Get-ContainerImage | Should -BeNullOrEmpty
            $back = Import-ContainerImage $path
            $back.Id | Should -Be $image.Id
            $back.Reference | Should -Be 'docker.io/library/tricky:1'
            $back.Layers.DiffId | Should -Be $image.Layers.DiffId
        }
        $script = 'ls -a /data | tr "\n" " "; test -e /remove-me && echo present || echo absent; stat -c "%u:%g %a %h" /owned; ' +
            'readlink /soft; stat -c "%F" /null /fifo; wc -c < /data/c'
        Invoke-Container -Image tricky:1 -Command sh, -c, $script |
            Should -Be @('. .. c absent', '1000:1000 4755 2', '/etc/../owned', 'character special file', 'fifo', '70000')
    }

    It 'exports several images into one archive, a shared layer once, and imports them all back' {
        $extra = New-LayerTar -Entries @(@{ Name = 'extra'; Content = 'more' })
        New-OciImageLayout -Path (Join-Path $Work 'two') -LayerTars @($BusyboxTar, $extra) -Name 'two:1' -Config @{ Cmd = @('cat', '/extra') } | Out-Null
        $one = Import-ContainerImage $Busybox
        $two = Import-ContainerImage (Join-Path $Work 'two')
        $archive = Join-Path $Work 'several.tar'
        Get-ContainerImage busybox:test, two:1 | Export-ContainerImage -Path $archive
        (& tar tf $archive | Where-Object { $_ -like '*/layer.tar' }).Count | Should -Be 2
        $manifest = & tar xOf $archive manifest.json | ConvertFrom-Json
        $manifest.RepoTags | Should -Be @('docker.io/library/busybox:test', 'docker.io/library/two:1')
        Get-ContainerImage | Remove-ContainerImage
        $back = Import-ContainerImage $archive
        $back.Id | Should -Be @($one.Id, $two.Id)
        Invoke-Container -Image two:1 | Should -Be 'more'
        # By id, an image goes out under all its names.
        Add-ContainerImageTag two:1 two:2
        Export-ContainerImage $two.Id -Path $archive -Format OciArchive
        (Invoke-Skopeo inspect "oci-archive:${archive}:docker.io/library/two:2" | ConvertFrom-Json).Layers.Count | Should -Be 2
    }

    It 'writes nothing half-made, and refuses a layout folder that is not empty, or -NoClobber over a file' {
        Import-ContainerImage $Busybox | Out-Null
        $folder = Join-Path $Work 'not-empty'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content (Join-Path $folder 'mine') 'keep'
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $folder -Format OciLayout -ErrorAction Stop } ExportPathExists ResourceExists
        Get-ChildItem $folder | Should -HaveCount 1
        $file = Join-Path $Work 'taken.tar'
        Set-Content $file 'keep'
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $file -NoClobber -ErrorAction Stop } ExportPathExists ResourceExists
        Get-Content $file | Should -Be 'keep'
        Assert-ConmanError { Export-ContainerImage nothere -Path $file -ErrorAction Stop } ImageNotFound ObjectNotFound
        Get-Content $file | Should -Be 'keep'
        Export-ContainerImage busybox:test -Path $file -WhatIf
        Get-Content $file | Should -Be 'keep'
        Export-ContainerImage busybox:test -Path $file
        (Get-Item $file).Length | Should -BeGreaterThan 1MB
        Get-ChildItem $Work -Force -Filter '.*conman-*' | Should -BeNullOrEmpty
        (Get-Residue).Ingest | Should -Be 0
    }

    It 'refuses a symbolic link, a FIFO or a device at the path, as docker save -o does, and a folder that does not exist' {
        Import-ContainerImage $Busybox | Out-Null
        $file = Join-Path $Work 'the-users.txt'
        Set-Content $file 'keep'
        $link = Join-Path $Work 'link.tar'
        New-Item -ItemType SymbolicLink -Path $link -Target $file | Out-Null
        # Neither replaced (a rename over it replaced /dev/stdout once) nor written through.
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $link -ErrorAction Stop } InvalidExportPath InvalidArgument
        (Get-Item $link).LinkTarget | Should -Be $file
        Get-Content $file | Should -Be 'keep'
        $layoutLink = Join-Path $Work 'layout-link'
        New-Item -ItemType Directory -Path (Join-Path $Work 'empty-layout') | Out-Null
        New-Item -ItemType SymbolicLink -Path $layoutLink -Target (Join-Path $Work 'empty-layout') | Out-Null
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $layoutLink -Format OciLayout -ErrorAction Stop } InvalidExportPath InvalidArgument
        (Get-Item $layoutLink).LinkTarget | Should -Not -BeNullOrEmpty
        $fifo = Join-Path $Work 'fifo.tar'
        & mkfifo $fifo
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $fifo -ErrorAction Stop } InvalidExportPath InvalidArgument
        & stat -c '%F' $fifo | Should -Be 'fifo'
        $device = Join-Path $Work 'null.tar'
        & mknod $device c 1 3
        Assert-ConmanError { Export-ContainerImage busybox:test -Path $device -ErrorAction Stop } InvalidExportPath InvalidArgument
        & stat -c '%F' $device | Should -Be 'character special file'
        $missing = Join-Path $Work 'no/such'
        Assert-ConmanError { Export-ContainerImage busybox:test -Path (Join-Path $missing 'out.tar') -ErrorAction Stop } HostPathNotFound ObjectNotFound $missing
        Get-ChildItem $Work -Force -Filter '.*conman-*' | Should -BeNullOrEmpty
    }
}

Describe 'Logging in and pushing to a registry' {
    BeforeAll {
        $script:Registry = Start-TestRegistry -User tester -Password 's3cret!'
        $script:Address = $Registry.Address
        $script:Right = [pscredential]::new('tester', (ConvertTo-SecureString 's3cret!' -AsPlainText -Force))
        $script:Wrong = [pscredential]::new('tester', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
        # podman, skopeo and Conman all read this one file: no login of the machine's is touched.
        $script:AuthFile = Join-Path $Work 'auth.json'
        $env:REGISTRY_AUTH_FILE = $AuthFile
        # Requests the registry answered: its log has a line per request with the method, uri and status
        # (and another, without the status, once it authorized it).
        function script:Get-RequestCount([string] $Method, [string] $UriPattern) {
            @(Select-String -Path $Registry.Log -Pattern "http\.request\.method=$Method .*http\.request\.uri=`"$UriPattern.*http\.response\.status=").Count
        }
    }
    AfterAll {
        $env:REGISTRY_AUTH_FILE = $null
        Stop-TestRegistry $script:Registry
    }
    BeforeEach {
        $script:Root = Enter-TestRoot
        Remove-Item $AuthFile -ErrorAction Ignore
    }
    AfterEach { Exit-TestRoot }

    It 'logs in where podman reads it, only with a credential the registry takes, and out again' {
        Assert-ConmanError { Connect-ContainerRegistry $Address $Wrong -ErrorAction Stop } AuthenticationFailed ResourceUnavailable
        Test-Path $AuthFile | Should -BeFalse
        Assert-ConmanError { Connect-ContainerRegistry 'not a host' $Right -ErrorAction Stop } InvalidRegistry InvalidArgument
        Connect-ContainerRegistry $Address $Right
        (Get-Item $AuthFile).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
        $entry = (Get-Content $AuthFile | ConvertFrom-Json).auths.$Address.auth
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($entry)) | Should -Be 'tester:s3cret!'
        Invoke-Podman $Podman login --get-login $Address | Should -Be 'tester'
        Disconnect-ContainerRegistry $Address
        (Get-Content $AuthFile | ConvertFrom-Json).auths.$Address | Should -BeNullOrEmpty
        Assert-ConmanError { Disconnect-ContainerRegistry $Address -ErrorAction Stop } NotLoggedIn ObjectNotFound
    }

    It 'pushes an image that skopeo copies and podman pulls and runs; sends no layer twice; mounts it into another repository' {
        $image = Import-ContainerImage $Busybox
        $name = "$Address/team/busybox:1"
        Add-ContainerImageTag busybox:test $name
        Assert-ConmanError { Publish-ContainerImage $name -ErrorAction Stop } AuthenticationRequired ResourceUnavailable
        Assert-ConmanError { Publish-ContainerImage $image.Id -ErrorAction Stop } PushDestinationRequired InvalidArgument
        Connect-ContainerRegistry $Address $Right

        $pushed = Publish-ContainerImage $name
        $pushed | Should -BeOfType ([Conman.PublishedImage])
        $pushed.Reference | Should -Be $name
        $pushed.Id | Should -Be $image.Id
        $pushed.LayersSent | Should -Be 1
        $inspected = Invoke-Skopeo inspect --tls-verify=false "docker://$name" | ConvertFrom-Json
        $inspected.Digest | Should -Be $pushed.Digest
        (Invoke-Skopeo inspect --tls-verify=false --config "docker://$name" | ConvertFrom-Json).rootfs.diff_ids | Should -Be @($image.Layers.DiffId)
        Invoke-Skopeo copy --quiet --src-tls-verify=false "docker://$name" "oci:$(Join-Path $Work 'copied'):copied" | Out-Null
        Invoke-Podman $Podman pull --quiet --tls-verify=false $name | Should -Be $image.Id.Substring(7)
        Invoke-PodmanRun $Podman $name sh, -c, 'echo pushed by conman' | Should -Be 'pushed by conman'
        Invoke-Podman $Podman rmi -f $name | Out-Null

        # Again: the registry has the layer and the config; only the manifest is put.
        $uploads = Get-RequestCount PUT '/v2/team/busybox/blobs/uploads/'
        $again = Publish-ContainerImage $name
        $again.LayersPresent | Should -Be 1
        $again.Digest | Should -Be $pushed.Digest
        Get-RequestCount PUT '/v2/team/busybox/blobs/uploads/' | Should -Be $uploads

        # Another repository of the registry: the layer is mounted from team/busybox, not sent.
        $mounted = Publish-ContainerImage $name -Destination "$Address/other/busybox:2"
        $mounted.LayersMounted | Should -Be 1
        Get-RequestCount POST '/v2/other/busybox/blobs/uploads/\?mount=' | Should -BeGreaterThan 0
        Get-RequestCount PUT '/v2/other/busybox/blobs/uploads/' | Should -Be 1 -Because 'only the config was uploaded'
        (Invoke-Skopeo inspect --tls-verify=false "docker://$Address/other/busybox:2" | ConvertFrom-Json).Digest | Should -Be $pushed.Digest

        # And back into a store of its own, from the registry.
        Remove-ContainerImage $image.Id -Force
        (Request-ContainerImage "$Address/other/busybox:2").Id | Should -Be $image.Id
        (Get-Residue).Ingest | Should -Be 0
    }

    It 'stores, uses and erases the credential through the docker-credential helper the auth file names' {
        $bin = Join-Path $Work 'helper-bin'
        New-Item -ItemType Directory -Force -Path $bin | Out-Null
        $helper = Join-Path $bin 'docker-credential-conmantest'
        # A helper as the protocol has it: the request on stdin, the answer on stdout; one credential, kept in a file.
        Set-Content $helper @'
#!/bin/sh
store="$(dirname "$0")/stored.json"
case "$1" in
  store) cat > "$store" ;;
  get) read server; if [ -f "$store" ]; then cat "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) read server; if [ -f "$store" ]; then rm "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
esac
'@
        & chmod 755 $helper
        @{ credHelpers = @{ $Address = 'conmantest' } } | ConvertTo-Json | Set-Content $AuthFile
        $path = $env:PATH
        $env:PATH = "${bin}:$path"
        try {
            Connect-ContainerRegistry $Address $Right
            (Get-Content (Join-Path $bin 'stored.json') | ConvertFrom-Json).Secret | Should -Be 's3cret!'
            (Get-Content $AuthFile | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'auths'
            Import-ContainerImage $Busybox | Out-Null
            (Publish-ContainerImage busybox:test -Destination "$Address/helped/busybox:1").Reference | Should -Be "$Address/helped/busybox:1"
            Disconnect-ContainerRegistry $Address
            Test-Path (Join-Path $bin 'stored.json') | Should -BeFalse
            Assert-ConmanError { Publish-ContainerImage busybox:test -Destination "$Address/helped/busybox:1" -ErrorAction Stop } AuthenticationRequired ResourceUnavailable
        }
        finally { $env:PATH = $path }
    }
}
