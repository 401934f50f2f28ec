# Images end to end: layouts, archives and hostile layers built here from busybox-static, imported,
# listed, run and removed; then pulled from a real docker-registry on loopback, filled by skopeo.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/TestRegistry.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $script:Work = New-TestFolder 'images'
    $script:BusyboxTar = New-LayerTar -Folder $rootFs
    $script:Busybox = Join-Path $Work 'busybox'
    New-OciImageLayout -Path $Busybox -LayerTars @(, $BusyboxTar) -Name 'busybox:test' -Config @{ Cmd = @('sh') } | Out-Null
}
AfterAll { Complete-TestFile }

Describe 'Importing images' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'imports an OCI layout, lists it, and runs it by name with the config''s defaults' {
        $layout = Join-Path $Work 'defaults'
        $config = @{
            Entrypoint = @('/bin/sh', '-c'); Cmd = @('echo "$GREETING from $(pwd) as $(id -u):$(id -g)"')
            Env = @('GREETING=hello', 'PATH=/bin'); WorkingDir = '/tmp'; User = 'worker'; Labels = @{ maker = 'tests' }
        }
        $written = New-OciImageLayout -Path $layout -LayerTars @(, $BusyboxTar) -Name 'example.com/team/app:1.0' -Config $config
        $image = Import-ContainerImage -Path $layout
        $image | Should -BeOfType ([Conman.ContainerImage])
        $image.Name | Should -Be 'example.com/team/app'
        $image.Tag | Should -Be '1.0'
        $image.Digest | Should -Be $written.Digest
        $image.Id | Should -Be $written.Config
        $image.Layers.Count | Should -Be 1
        $image.Layers[0].Digest | Should -Be $written.Layers[0]
        $image.Size | Should -BeGreaterThan 1MB
        $image.CreatedAt.ToUniversalTime() | Should -Be ([datetime]::new(2024, 1, 2, 3, 4, 5, [DateTimeKind]::Utc))
        (Get-ContainerImage 'example.com/team/*').Id | Should -Be $image.Id

        Invoke-Container -Image example.com/team/app:1.0 | Should -Be 'hello from /tmp as 1000:1000'
        Invoke-Container -Image example.com/team/app:1.0 -Command 'echo replaced' | Should -Be 'replaced'
        Invoke-Container -Image example.com/team/app:1.0 -Entrypoint echo -Command a, b | Should -Be 'a b'
        Invoke-Container -Image example.com/team/app:1.0 -Environment @{ GREETING = 'bye' } -User 0 | Should -Be 'bye from /tmp as 0:0'
        $c = New-Container -Image example.com/team/app:1.0 -Name defaults
        $c.Image | Should -Be 'example.com/team/app:1.0'
        $c.ImageId | Should -Be $image.Id
        $c.Command | Should -Be @('/bin/sh', '-c', 'echo "$GREETING from $(pwd) as $(id -u):$(id -g)"')
        $c.Labels['maker'] | Should -Be 'tests'
        (Get-Container defaults | Out-String -Width 200) | Should -Match 'defaults\s+Created\s+example\.com/team/app:1\.0\s+/bin/sh -c '
    }

    It 'applies whiteouts and opaque folders, and keeps owners, modes, times, links and device nodes' {
        $base = New-LayerTar -Entries @(
            @{ Name = 'data/'; Type = 'Directory' }
            @{ Name = 'data/a'; Content = 'a' }
            @{ Name = 'data/b'; Content = 'b' }
            @{ Name = 'keep/'; Type = 'Directory' }
            @{ Name = 'keep/x'; Content = 'x' }
            @{ Name = 'remove-me'; Content = 'gone' }
        )
        $top = New-LayerTar -Entries @(
            @{ Name = 'data/'; Type = 'Directory' }
            @{ Name = 'data/.wh..wh..opq'; Content = '' }
            @{ Name = 'data/c'; Content = 'c' }
            @{ Name = '.wh.remove-me'; Content = '' }
            @{ Name = 'keep/y'; Content = 'y' }
            @{ Name = 'owned'; Content = 'mine'; Uid = 1000; Gid = 1000; Mode = '4755' }
            @{ Name = 'hard'; Type = 'HardLink'; LinkName = 'owned' }
            @{ Name = 'soft'; Type = 'SymbolicLink'; LinkName = 'owned' }
            @{ Name = 'null'; Type = 'CharacterDevice'; Major = 1; Minor = 3; Mode = '666' }
        )
        $layout = Join-Path $Work 'layers'
        New-OciImageLayout -Path $layout -LayerTars @($BusyboxTar, $base, $top) -Name 'layers:test' -Config @{ Cmd = @('sh') } | Out-Null
        (Import-ContainerImage $layout).Layers.Count | Should -Be 3
        $script = 'ls /data | tr "\n" " "; echo; ls /keep | tr "\n" " "; echo; test -e /remove-me && echo present || echo absent; ' +
            'stat -c "%u:%g %a %Y %h" /owned; readlink /soft; cat /hard; echo; stat -c "%F %t:%T" /null'
        $out = Invoke-Container -Image layers:test -Command sh, -c, $script
        $out | Should -Be @('c ', 'x y ', 'absent', '1000:1000 4755 1704164645 2', 'owned', 'mine', 'character special file 1:3')
    }

    It 'shares one snapshot per layer between images and containers' {
        $extra = New-LayerTar -Entries @(@{ Name = 'extra'; Content = 'more' })
        New-OciImageLayout -Path (Join-Path $Work 'shared-a') -LayerTars @(, $BusyboxTar) -Name 'shared:a' | Out-Null
        New-OciImageLayout -Path (Join-Path $Work 'shared-b') -LayerTars @($BusyboxTar, $extra) -Name 'shared:b' | Out-Null
        Import-ContainerImage (Join-Path $Work 'shared-a') | Out-Null
        Import-ContainerImage (Join-Path $Work 'shared-b') | Out-Null
        1..3 | ForEach-Object { New-Container -Image shared:b -Command true | Start-Container | Out-Null }
        (Get-Residue).Snapshots | Should -Be 2
        # Layer blobs are dropped once unpacked: two manifests and two configs are left.
        (Get-Residue).Blobs | Should -Be 4
        Get-Container | Wait-Container | Out-Null
        Invoke-Container -Image shared:b -Command cat, /extra | Should -Be 'more'
    }

    It 'imports an OCI archive, gzipped or not, and a docker save archive with its tags' {
        $oci = New-TarArchive $Busybox (Join-Path $Work 'busybox-oci.tar')
        (Import-ContainerImage $oci).Reference | Should -Be 'docker.io/library/busybox:test'
        $gzipped = Join-Path $Work 'busybox-oci.tar.gz'
        [System.IO.File]::WriteAllBytes($gzipped, (ConvertTo-Gzip ([System.IO.File]::ReadAllBytes($oci))))
        # The same image again: it gains the name, and is returned with all of its names.
        (Import-ContainerImage $gzipped -Name 'zipped:1').Reference | Should -Be @('docker.io/library/zipped:1', 'docker.io/library/busybox:test')
        $extra = New-LayerTar -Entries @(@{ Name = 'saved'; Content = 'by docker' })
        # The extra layer twice: docker save writes its second place as a link to the first.
        $saved = New-DockerSaveArchive -Path (Join-Path $Work 'saved.tar') -LayerTars @($BusyboxTar, $extra, $extra) -RepoTag 'localhost/saved:2' -Config @{ Cmd = @('cat', '/saved') }
        $image = Import-ContainerImage $saved
        $image.Reference | Should -Be 'localhost/saved:2'
        $image.Layers.Count | Should -Be 3
        Invoke-Container -Image localhost/saved:2 | Should -Be 'by docker'
        # The same busybox layer, from three sources, unpacked once; the extra layer twice (two chains).
        (Get-Residue).Snapshots | Should -Be 3
        (Get-ContainerImage).Count | Should -Be 3
    }

    It 'needs a name when the layout gives none, and moves a name to the image imported last' {
        $unnamed = Join-Path $Work 'unnamed'
        New-OciImageLayout -Path $unnamed -LayerTars @(, $BusyboxTar) | Out-Null
        Assert-ConmanError { Import-ContainerImage $unnamed -ErrorAction Stop } ImageNameRequired InvalidArgument
        Get-ContainerImage | Should -BeNullOrEmpty
        $first = Import-ContainerImage $unnamed -Name 'moving:1'
        $other = Join-Path $Work 'other'
        New-OciImageLayout -Path $other -LayerTars @(, $BusyboxTar) -Config @{ Cmd = @('true') } | Out-Null
        $second = Import-ContainerImage $other -Name 'moving:1'
        $second.Id | Should -Not -Be $first.Id
        (Get-ContainerImage moving:1).Id | Should -Be $second.Id
        (Get-ContainerImage | Where-Object Id -eq $first.Id).Name | Should -Be '<none>'
    }

    It 'refuses a corrupt blob and lists nothing' {
        $corrupt = Join-Path $Work 'corrupt'
        $written = New-OciImageLayout -Path $corrupt -LayerTars @(, $BusyboxTar) -Name 'corrupt:1'
        $blob = Join-Path $corrupt "blobs/sha256/$($written.Layers[0].Substring(7))"
        $bytes = [System.IO.File]::ReadAllBytes($blob)
        $bytes[100] = $bytes[100] -bxor 0xff
        [System.IO.File]::WriteAllBytes($blob, $bytes)
        Assert-ConmanError { Import-ContainerImage $corrupt -ErrorAction Stop } BlobDigestMismatch InvalidArgument
        Get-ContainerImage | Should -BeNullOrEmpty
        $residue = Get-Residue
        $residue.Snapshots | Should -Be 0
        $residue.Ingest | Should -Be 0
        Test-Path (Get-TestLayout).BlobPath($written.Layers[0].Substring(7)) | Should -BeFalse
    }

    It 'refuses a hostile layer (<Case>) and writes nothing outside or half-made' -ForEach @(
        @{ Case = 'a ../ escape'; Entries = { param($t) @(@{ Name = "../../../../../../..$t/escaped"; Content = 'x' }) } }
        @{ Case = 'an absolute path'; Entries = { param($t) @(@{ Name = "$t/escaped"; Content = 'x' }) } }
        @{ Case = 'an absolute symlink then a write through it'; Entries = { param($t) @(
            @{ Name = 'evil'; Type = 'SymbolicLink'; LinkName = $t }
            @{ Name = 'evil/escaped'; Content = 'x' }) } }
        @{ Case = 'a relative symlink up and out then a write through it'; Entries = { param($t) @(
            @{ Name = 'up'; Type = 'SymbolicLink'; LinkName = "../../../../../../..$t" }
            @{ Name = 'up/escaped'; Content = 'x' }) } }
        @{ Case = 'a hard link to outside'; Entries = { param($t) @(@{ Name = 'hard'; Type = 'HardLink'; LinkName = '../../../../../../../etc/passwd' }) } }
        @{ Case = 'a hard link to an absolute path'; Entries = { param($t) @(@{ Name = 'hard'; Type = 'HardLink'; LinkName = '/etc/passwd' }) } }
    ) {
        $target = Join-Path $Work "target-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        New-Item -ItemType Directory -Path $target | Out-Null
        $layout = Join-Path $Work "hostile-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $layer = New-LayerTar -Entries (@(@{ Name = 'fine'; Content = 'ok' }) + @(& $Entries $target))
        New-OciImageLayout -Path $layout -LayerTars @($BusyboxTar, $layer) -Name 'hostile:1' | Out-Null
        Assert-ConmanError { Import-ContainerImage $layout -ErrorAction Stop } UnsafeLayerEntry InvalidArgument
        Get-ChildItem $target | Should -BeNullOrEmpty
        Get-ContainerImage | Should -BeNullOrEmpty
        # The busybox layer below is whole and kept for later; the hostile one left nothing.
        (Get-Residue).Snapshots | Should -Be 1
        (Get-Item /etc/passwd).LinkType | Should -BeNullOrEmpty
        (Get-Item /etc/passwd).Length | Should -BeGreaterThan 0
    }

    It 'refuses a write through a symlink an earlier layer placed' {
        $target = Join-Path $Work "target-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        New-Item -ItemType Directory -Path $target | Out-Null
        $first = New-LayerTar -Entries @(@{ Name = 'link'; Type = 'SymbolicLink'; LinkName = $target })
        $second = New-LayerTar -Entries @(@{ Name = 'link/escaped'; Content = 'x' })
        $layout = Join-Path $Work 'cross-layer'
        New-OciImageLayout -Path $layout -LayerTars @($BusyboxTar, $first, $second) -Name 'cross:1' | Out-Null
        $record = Assert-ConmanError { Import-ContainerImage $layout -ErrorAction Stop } UnsafeLayerEntry InvalidArgument
        $record.Exception.Message | Should -Match 'symbolic link in a lower layer'
        Get-ChildItem $target | Should -BeNullOrEmpty
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'keeps an image a container uses unless -Force, and frees its files with the last user' {
        Import-ContainerImage $Busybox | Out-Null
        New-Container -Image busybox:test -Name user -Command echo, still | Out-Null
        Assert-ConmanError { Remove-ContainerImage busybox:test -ErrorAction Stop } ImageInUse InvalidOperation
        (Get-ContainerImage busybox:test) | Should -Not -BeNullOrEmpty
        Remove-ContainerImage busybox:test -Force
        Get-ContainerImage | Should -BeNullOrEmpty
        Start-Container user -Attach | Should -Be 'still'
        (Get-Residue).Snapshots | Should -Be 1
        Remove-Container user
        $residue = Get-Residue
        $residue.Snapshots | Should -Be 0
        $residue.Blobs | Should -Be 0
    }

    It 'removes one name of an image with several, and the image with its last' {
        Import-ContainerImage $Busybox | Out-Null
        Import-ContainerImage $Busybox -Name 'second:name' | Out-Null
        Remove-ContainerImage busybox:test
        (Get-ContainerImage).Reference | Should -Be 'docker.io/library/second:name'
        Get-ContainerImage | Remove-ContainerImage
        Get-ContainerImage | Should -BeNullOrEmpty
        (Get-Residue).Blobs | Should -Be 0
    }

    It 'formats images as a table and completes their names' {
        Import-ContainerImage $Busybox | Out-Null
        $text = Get-ContainerImage | Out-String -Width 200
        $text | Should -Match 'Name\s+Tag\s+Id\s+Created\s+Size'
        $text | Should -Match 'docker\.io/library/busybox\s+test\s+[0-9a-f]{12}\s+2024-01-02'
        $line = 'New-Container -Image busy'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'busybox:test'
    }

    It 'gives clear errors for bad references, missing images and missing paths' {
        Assert-ConmanError { New-Container -Image 'Not/Valid:ref' -ErrorAction Stop } InvalidImageReference InvalidArgument
        Assert-ConmanError { New-Container -Image nothere -Pull Never -ErrorAction Stop } ImageNotFound ObjectNotFound
        Assert-ConmanError { Import-ContainerImage (Join-Path $Work 'no-such-layout') -ErrorAction Stop } ImagePathNotFound ObjectNotFound (Join-Path $Work 'no-such-layout')
        Assert-ConmanError { Get-ContainerImage nothere -ErrorAction Stop } ImageNotFound ObjectNotFound
        Get-Container | Should -BeNullOrEmpty
    }
}

Describe 'Pulling from a registry' {
    BeforeAll {
        $script:Open = Start-TestRegistry
        $script:Locked = Start-TestRegistry -User tester -Password 's3cret!'
        Copy-ImageToRegistry -Registry $Open -Layout $Busybox -Repository 'tools/busybox' -Tag 1
        Copy-ImageToRegistry -Registry $Locked -Layout $Busybox -Repository 'private/busybox' -Tag 1 -Credential 'tester:s3cret!'
        $extra = New-LayerTar -Entries @(@{ Name = 'arch'; Content = 'amd64 image' })
        $script:MultiArch = New-OciImageLayout -Path (Join-Path $Work 'multi') -LayerTars @($BusyboxTar, $extra) -Architectures amd64, arm64 -Config @{ Cmd = @('cat', '/arch') }
        Copy-ImageToRegistry -Registry $Open -Layout (Join-Path $Work 'multi') -Repository 'tools/multi' -Tag 2 -All
    }
    AfterAll {
        Stop-TestRegistry $script:Open
        Stop-TestRegistry $script:Locked
    }
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'pulls anonymously over plain HTTP from loopback and runs the image' {
        $image = Request-ContainerImage "$($Open.Address)/tools/busybox:1"
        $image.Name | Should -Be "$($Open.Address)/tools/busybox"
        $image.Tag | Should -Be '1'
        Invoke-Container -Image "$($Open.Address)/tools/busybox:1" -Command echo, pulled | Should -Be 'pulled'
    }

    It 'pulls and runs an image whose layers are compressed with zstd' {
        New-OciImageLayout -Path (Join-Path $Work 'plain') -LayerTars @(, $BusyboxTar) -Uncompressed -Config @{ Cmd = @('echo', 'zstd layers') } | Out-Null
        Copy-ImageToRegistry -Registry $Open -Layout (Join-Path $Work 'plain') -Repository 'tools/zstd' -Tag 1 -CompressFormat zstd
        $image = Request-ContainerImage "$($Open.Address)/tools/zstd:1"
        $image.Layers.MediaType | Should -Be 'application/vnd.oci.image.layer.v1.tar+zstd'
        Invoke-Container -Image "$($Open.Address)/tools/zstd:1" | Should -Be 'zstd layers'
    }

    It 'resolves an image index to linux/amd64, and pulls by digest' {
        $image = Request-ContainerImage "$($Open.Address)/tools/multi:2"
        $image.Digest | Should -Be $MultiArch.Digest
        Invoke-Container -Image "$($Open.Address)/tools/multi:2" | Should -Be 'amd64 image'
        $byDigest = Request-ContainerImage "$($Open.Address)/tools/multi@$($MultiArch.IndexDigest)"
        $byDigest.Id | Should -Be $image.Id
        Invoke-Container -Image "$($Open.Address)/tools/multi@$($MultiArch.Digest)" | Should -Be 'amd64 image'
    }

    It 'resolves an image index to the -Platform asked for, to push or export elsewhere' {
        $arm = Request-ContainerImage "$($Open.Address)/tools/multi:2" -Platform linux/arm64
        $arm.Architecture | Should -Be 'arm64'
        $arm.Id | Should -Not -Be $MultiArch.Config
        $arm.Digest | Should -Not -Be $MultiArch.Digest
        Assert-ConmanError { Request-ContainerImage "$($Open.Address)/tools/multi:2" -Platform linux/s390x -ErrorAction Stop } NoMatchingPlatform ObjectNotFound
        Assert-ConmanError { Request-ContainerImage "$($Open.Address)/tools/multi:2" -Platform arm64 -ErrorAction Stop } InvalidPlatform InvalidArgument
        (Request-ContainerImage "$($Open.Address)/tools/multi:2").Architecture | Should -Be 'amd64'
    }

    It 'records a pull by digest as a digest reference, and removes only that reference (podman #11557)' {
        $tagged = "$($Open.Address)/tools/busybox:1"
        $image = Request-ContainerImage $tagged
        $digestReference = "$($Open.Address)/tools/busybox@$($image.Digest)"
        $pulled = Request-ContainerImage "${tagged}@$($image.Digest)"
        $pulled.Id | Should -Be $image.Id
        (Get-ContainerImage $tagged).RepoDigests | Should -Be @($digestReference)

        Remove-ContainerImage "${tagged}@$($image.Digest)"
        $left = Get-ContainerImage $tagged
        $left.Id | Should -Be $image.Id
        $left.RepoDigests | Should -BeNullOrEmpty
        Assert-ConmanError { Remove-ContainerImage $digestReference -ErrorAction Stop } DigestReferenceNotRecorded ObjectNotFound
        (Get-ContainerImage $tagged).Id | Should -Be $image.Id

        # Pulled by digest alone, an image is listed by its repository with no tag, and goes with its reference.
        Remove-ContainerImage $tagged
        $byDigest = Request-ContainerImage $digestReference
        $byDigest.Tag | Should -Be '<none>'
        $byDigest.Reference | Should -Be $digestReference
        Invoke-Container -Image $digestReference -Command echo, 'by digest' | Should -Be 'by digest'
        Get-Container | Remove-Container
        Remove-ContainerImage $digestReference
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'does not fetch a blob it already has' {
        # The registry's access log: one line per request, with its method and uri.
        function Get-BlobFetchCount([string] $Repository, [string] $Digest) {
            @(Select-String -Path $Open.Log -Pattern "http\.request\.method=GET .*http\.request\.uri=`"/v2/$Repository/blobs/$Digest`"").Count
        }
        $layer = 'sha256:' + (Get-ChildItem (Join-Path $Busybox 'blobs/sha256') | Where-Object Length -gt 100KB).Name
        $extraLayer = $MultiArch.Layers[1]
        $before = @{ Base = Get-BlobFetchCount tools/busybox $layer; Shared = Get-BlobFetchCount tools/multi $layer; Extra = Get-BlobFetchCount tools/multi $extraLayer }
        Request-ContainerImage "$($Open.Address)/tools/busybox:1" | Out-Null
        Request-ContainerImage "$($Open.Address)/tools/multi:2" | Out-Null
        Wait-Until { (Get-BlobFetchCount tools/multi $extraLayer) -eq $before.Extra + 1 } -Timeout 5 -Because 'the registry logged the fetch of the new layer'
        Get-BlobFetchCount tools/busybox $layer | Should -Be ($before.Base + 1)
        Get-BlobFetchCount tools/multi $layer | Should -Be $before.Shared
    }

    It 'authenticates with Basic credentials, and says when they are missing or wrong' {
        $reference = "$($Locked.Address)/private/busybox:1"
        Assert-ConmanError { Request-ContainerImage $reference -ErrorAction Stop } AuthenticationRequired ResourceUnavailable
        $wrong = [pscredential]::new('tester', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
        Assert-ConmanError { Request-ContainerImage $reference -Credential $wrong -ErrorAction Stop } AuthenticationFailed ResourceUnavailable
        Get-ContainerImage | Should -BeNullOrEmpty
        $right = [pscredential]::new('tester', (ConvertTo-SecureString 's3cret!' -AsPlainText -Force))
        (Request-ContainerImage $reference -Credential $right).Tag | Should -Be '1'
        Invoke-Container -Image $reference -Command echo, private | Should -Be 'private'
    }

    It 'uses the credentials podman login stored, when -Credential is not given' {
        $reference = "$($Locked.Address)/private/busybox:1"
        $authFile = Join-Path $Work 'auth.json'
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('tester:s3cret!'))
        @{ auths = @{ "$($Locked.Address)/private" = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content $authFile
        $env:REGISTRY_AUTH_FILE = $authFile
        try {
            (Request-ContainerImage $reference).Tag | Should -Be '1'
            # An entry for another repository of that registry does not apply.
            @{ auths = @{ "$($Locked.Address)/elsewhere" = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content $authFile
            Remove-ContainerImage $reference
            Assert-ConmanError { Request-ContainerImage $reference -ErrorAction Stop } AuthenticationRequired ResourceUnavailable
        } finally {
            Remove-Item Env:REGISTRY_AUTH_FILE
        }
    }

    It 'pulls a missing image for New-Container and Invoke-Container, and again with -Pull Always' {
        $reference = "$($Open.Address)/tools/busybox:1"
        Invoke-Container -Image $reference -Command echo, auto | Should -Be 'auto'
        (Get-ContainerImage $reference).Tag | Should -Be '1'
        $manifests = { @(Select-String -Path $Open.Log -Pattern "http\.request\.method=GET .*http\.request\.uri=`"?/v2/tools/busybox/manifests/1").Count }
        $before = & $manifests
        New-Container -Image $reference -Command true | Out-Null
        & $manifests | Should -Be $before
        New-Container -Image $reference -Pull Always -Command true | Out-Null
        Wait-Until { (& $manifests) -eq $before + 1 } -Timeout 5 -Because '-Pull Always asked the registry again'
        Assert-ConmanError { New-Container -Image "$($Open.Address)/tools/absent:1" -ErrorAction Stop } ImageNotFoundInRegistry ObjectNotFound
        (Get-Container).Count | Should -Be 2
    }

    It 'says what the registry lacks' {
        Assert-ConmanError { Request-ContainerImage "$($Open.Address)/tools/absent:1" -ErrorAction Stop } ImageNotFoundInRegistry ObjectNotFound
        Assert-ConmanError { Request-ContainerImage "$($Open.Address)/tools/busybox:nosuchtag" -ErrorAction Stop } ImageNotFoundInRegistry ObjectNotFound
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'uses HTTPS for a registry off loopback, and plain HTTP there only with -AllowInsecure' {
        # Not a loopback address to the engine, yet on lo: nothing leaves the machine, and every machine has one.
        $address = New-TestAddress
        $external = Start-TestRegistry -ListenAddress $address
        try {
            Copy-ImageToRegistry -Registry $external -Layout $Busybox -Repository 'tools/busybox' -Tag 1
            $reference = "$($external.Address)/tools/busybox:1"
            Assert-ConmanError { Request-ContainerImage $reference -ErrorAction Stop } RegistryUnreachable ResourceUnavailable
            (Request-ContainerImage $reference -AllowInsecure).Tag | Should -Be '1'
        }
        finally { Stop-TestRegistry $external }
    }
}

Describe 'Ctrl+C during a long import, in a real terminal' {
    BeforeAll {
        # Long enough to be interrupted: 30 000 small files (one syscall chain each) and 100 MiB.
        $folder = Join-Path $Work 'many-files'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $content = [byte[]]::new(512)
        foreach ($i in 0..29999) {
            if ($i % 1000 -eq 0) { New-Item -ItemType Directory -Path (Join-Path $folder "d$($i / 1000)") | Out-Null }
            [System.IO.File]::WriteAllBytes((Join-Path $folder "d$([math]::Floor($i / 1000))/f$i"), $content)
        }
        $big = [byte[]]::new(100MB)
        [System.Random]::new(7).NextBytes($big)
        [System.IO.File]::WriteAllBytes((Join-Path $folder 'big.bin'), $big)
        $script:LongLayout = Join-Path $Work 'long'
        New-OciImageLayout -Path $LongLayout -LayerTars @((New-LayerTar -Folder $folder), $BusyboxTar) -Name 'long:1' -Uncompressed | Out-Null
        Remove-Item $folder -Recurse -Force
    }
    BeforeEach {
        $script:Root = Enter-TestRoot
        $script:Session = Start-TmuxPwsh
    }
    AfterEach { Exit-TestRoot }

    It 'shows progress per layer, and Ctrl+C leaves no image, no temp file and no half-made snapshot' {
        # The marker is printed only if the import returned normally; typed, it reads differently.
        Send-TmuxLine $Session "Import-ContainerImage -Path '$LongLayout'; 'import-' + 'ended'"
        Wait-TmuxScreen $Session '(Importing|Unpacking) [0-9a-f]{12}' -Timeout 30 | Out-Null
        Send-TmuxKeys $Session C-c
        Wait-TmuxScreen $Session 'PS .*> ?$' -Timeout 30 | Out-Null
        Get-TmuxScreen $Session | Should -Not -Match '(?m)^import-ended$'
        Get-ContainerImage | Should -BeNullOrEmpty
        $residue = Get-Residue
        $residue.Ingest | Should -Be 0
        $residue.Unpacking | Should -Be 0
        # The session is usable, and a second try completes.
        Send-TmuxLine $Session "(Import-ContainerImage -Path '$LongLayout').Reference"
        Wait-TmuxScreen $Session '^docker\.io/library/long:1$' -Timeout 60 | Out-Null
    }
}
