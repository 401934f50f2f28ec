# Build-ContainerImage end to end: a multi-stage Containerfile with every instruction, built by Conman
# and by buildah (Debian's) from the same busybox image, compared file by file and field by field;
# the build cache; failing steps. The images are built here from busybox-static (build/OciImage.psm1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:rootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/Podman.psm1') -Force
    $script:Work = New-TestFolder 'build'
    $script:Busybox = Join-Path $Work 'busybox'
    New-OciImageLayout -Path $Busybox -LayerTars @(, (New-LayerTar -Folder $rootFs)) -Name 'busybox:test' -Config @{ Cmd = @('sh'); Env = @('PATH=/bin') } | Out-Null

    $script:Context = Join-Path $Work 'context'
    New-Item -ItemType Directory -Path (Join-Path $Context 'src/sub') | Out-Null
    Set-Content (Join-Path $Context 'src/a.txt') 'alpha'
    Set-Content (Join-Path $Context 'src/sub/b.txt') 'beta'
    Set-Content (Join-Path $Context 'src/debug.log') 'left out'
    & chmod 750 (Join-Path $Context 'src/sub')
    Set-Content (Join-Path $Context 'single.txt') 'one file'
    Set-Content (Join-Path $Context '.dockerignore') "src/*.log`n"
    $tar = New-LayerTar -Entries @(@{ Name = 'pkg/'; Type = 'Directory' }, @{ Name = 'pkg/tool'; Content = 'from a tar'; Mode = '755'; Uid = 3; Gid = 4 })
    [IO.File]::WriteAllBytes((Join-Path $Context 'files.tar'), $tar)
    Set-Content (Join-Path $Context 'Containerfile') @'
# Every instruction, two stages.
ARG BASE=busybox:test
FROM ${BASE} AS build
ARG GREETING=hi
ENV APP=/app
WORKDIR $APP
COPY --chown=1000:1000 src/ ./
ADD files.tar /unpacked/
RUN echo "$GREETING from build" > made.txt && \
    rm -f /etc/group
SHELL ["/bin/sh", "-ec"]
RUN mkdir -p /opt/out && cp -a /app/. /opt/out/ && cp -a /unpacked/pkg /opt/out/pkg

FROM ${BASE}
LABEL maker=conman version="1.0"
ENV MODE=prod
COPY --from=build /opt/out /srv
COPY single.txt /srv/renamed.txt
EXPOSE 8080 9090/udp
VOLUME /data
STOPSIGNAL SIGINT
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD cat /srv/made.txt
USER 1000
WORKDIR /srv
ENTRYPOINT ["cat"]
CMD ["/srv/made.txt"]
'@
    # Every entry of an image's root filesystem but the kernel's and the container's own /etc files (bind-mounted
    # at each start, as Docker's): path, owner, mode, type, and each file's checksum.
    $script:Listing = 'find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /etc/hosts -o -path /etc/hostname -o -path /etc/resolv.conf \) -prune -o -print | sort | ' +
        'while read f; do stat -c "%n %u:%g %a %F" "$f"; test -f "$f" -a ! -L "$f" && md5sum "$f"; done; true'
    $script:Buildah = New-PodmanStore (Join-Path $Work 'buildah')
    function script:Export-Layout([string] $Name) {
        $path = Join-Path $Work "layout-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Export-ContainerImage $Name -Path $path -Format OciLayout
        $path
    }
    function script:Invoke-Buildah {
        $output = & buildah @($Buildah.Options) @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "buildah $($args -join ' ') failed: $output" }
    }
}
AfterAll {
    Remove-PodmanStore $script:Buildah
    Complete-TestFile
}

Describe 'Build-ContainerImage' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Busybox | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'builds a multi-stage Containerfile as buildah builds it: the same files and the same config' {
        $steps = $null
        $image = Build-ContainerImage $Context -Tag app:1 -BuildArg @{ GREETING = 'hello' } -InformationVariable steps
        $image | Should -BeOfType ([Conman.ContainerImage])
        $image.Reference | Should -Be 'docker.io/library/app:1'
        ($steps | ForEach-Object { "$_" }) | Should -Contain 'STEP 9/22: RUN mkdir -p /opt/out && cp -a /app/. /opt/out/ && cp -a /unpacked/pkg /opt/out/pkg'
        Invoke-Container -Pull Never -Image app:1 | Should -Be 'hello from build'

        # buildah, from the same layout and context, its image brought back through an OCI layout.
        Invoke-Buildah bud --isolation chroot --format docker --build-arg "BASE=oci:$Busybox" --build-arg GREETING=hello -t buildah-app:1 -f (Join-Path $Context 'Containerfile') $Context
        $theirs = Join-Path $Work 'buildah-app'
        Invoke-Buildah push buildah-app:1 "oci:${theirs}:buildah-app:1"
        Import-ContainerImage $theirs -Name buildah-app:1 | Out-Null

        $ours = Invoke-Container -Pull Never -Image app:1 -Entrypoint sh -Command '-c', $Listing -User 0
        $other = Invoke-Container -Pull Never -Image buildah-app:1 -Entrypoint sh -Command '-c', $Listing -User 0
        $ours | Should -Not -BeNullOrEmpty
        Compare-Object $ours $other | Should -BeNullOrEmpty -Because 'Conman and buildah put the same files in the image'
        $ours | Should -Contain '/srv/pkg/tool 3:4 755 regular file'
        $ours | Should -Contain '/srv/a.txt 1000:1000 644 regular file'
        $ours | Should -Contain '/srv/sub 1000:1000 750 directory'
        $ours | Should -Not -Match 'debug\.log'

        $ourConfig = (Invoke-Skopeo inspect --config "oci:$(Export-Layout app:1)" | ConvertFrom-Json).config
        $theirConfig = (Invoke-Skopeo inspect --config "oci:$theirs" | ConvertFrom-Json).config
        foreach ($field in 'User', 'Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'StopSignal') {
            $ourConfig.$field | Should -Be $theirConfig.$field -Because "$field is the same"
        }
        foreach ($field in 'ExposedPorts', 'Volumes', 'Healthcheck') {
            ($ourConfig.$field | ConvertTo-Json -Compress) | Should -Be ($theirConfig.$field | ConvertTo-Json -Compress) -Because "$field is the same"
        }
        $ourConfig.Labels.maker | Should -Be $theirConfig.Labels.maker
        $ourConfig.Labels.version | Should -Be '1.0'
    }

    It 'rebuilds from the cache with no new layer, and from a changed file''s step on' {
        $first = Build-ContainerImage $Context -Tag app:1
        $snapshots = (Get-Residue).Snapshots
        $steps = $null
        $again = Build-ContainerImage $Context -Tag app:1 -InformationVariable steps
        $again.Id | Should -Be $first.Id
        (Get-Residue).Snapshots | Should -Be $snapshots -Because 'a cached rebuild makes no layer'
        @($steps | Where-Object { "$_" -match '^STEP \d+/\d+: (RUN|COPY|ADD)' -and "$_" -notmatch '\(cached\)$' }) | Should -BeNullOrEmpty
        Get-ContainerImage | ForEach-Object Reference | Should -Be @('docker.io/library/busybox:test', 'docker.io/library/app:1') -Because 'build steps are not listed'

        Set-Content (Join-Path $Context 'single.txt') 'changed'
        try {
            $changed = Build-ContainerImage $Context -Tag app:1 -InformationVariable steps
            $changed.Id | Should -Not -Be $first.Id
            "$(@($steps | Where-Object { "$_" -like '*COPY --from=build*' })[0])" | Should -Match '\(cached\)$'
            "$(@($steps | Where-Object { "$_" -like '*COPY single.txt*' })[0])" | Should -Not -Match '\(cached\)$'
            Invoke-Container -Pull Never -Image app:1 -Command /srv/renamed.txt | Should -Be 'changed'
            (Build-ContainerImage $Context -NoCache -InformationVariable steps).Id | Should -Not -BeNullOrEmpty
            @($steps | Where-Object { "$_" -match '\(cached\)$' }) | Should -BeNullOrEmpty
        }
        finally { Set-Content (Join-Path $Context 'single.txt') 'one file' }
    }

    It 'builds a -Target stage, and stops at a failing RUN with its exit code, leaving no container' {
        (Build-ContainerImage $Context -Target build -Tag stage:1).WorkingDirectory | Should -Be '/app'
        $failing = Join-Path $Work 'failing'
        New-Item -ItemType Directory -Path $failing | Out-Null
        Set-Content (Join-Path $failing 'Dockerfile') "FROM busybox:test`nRUN echo before`nRUN echo failing >&2; exit 7`nRUN echo never"
        $err = $null
        Build-ContainerImage $failing -Tag failing:1 -ErrorVariable err -ErrorAction SilentlyContinue -InformationAction SilentlyContinue
        $err[-1].FullyQualifiedErrorId | Should -Be 'BuildStepFailed,Conman.Cmdlets.BuildContainerImageCommand'
        $err[-1].Exception.Message | Should -Match 'exit code 7'
        Get-Container | Should -BeNullOrEmpty
        Get-ContainerImage failing:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-NoResidue
        Set-Content (Join-Path $failing 'Dockerfile') "FROM busybox:test`nFROB x"
        Assert-ConmanError { Build-ContainerImage $failing -ErrorAction Stop } InvalidContainerfile InvalidArgument
        Set-Content (Join-Path $failing 'Dockerfile') "FROM busybox:test`nCOPY nothere /x"
        Assert-ConmanError { Build-ContainerImage $failing -ErrorAction Stop -InformationAction SilentlyContinue } BuildSourceNotFound ObjectNotFound
        (Get-Residue).Ingest | Should -Be 0
    }
}

Describe 'Remove-ContainerImage -Unused' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Busybox | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'prunes the build cache and unnamed images with -Dangling, every unused image without, and nothing with -WhatIf' {
        Build-ContainerImage $Context -Tag app:1 -InformationAction SilentlyContinue | Out-Null
        New-Container -Pull Never -Image busybox:test -Name user -Command true | Out-Null
        $records = { @(Get-ChildItem (Get-TestLayout).ImagesFolder -Filter *.pb).Count }
        $before = & $records
        $before | Should -BeGreaterThan 10 -Because 'every build step is an image of the cache'
        Remove-ContainerImage -Unused -WhatIf
        & $records | Should -Be $before

        Remove-ContainerImage -Unused -Force -Dangling
        & $records | Should -Be 2
        (Get-ContainerImage).Reference | Should -Be @('docker.io/library/busybox:test', 'docker.io/library/app:1')
        Invoke-Container -Pull Never -Image app:1 | Should -Be 'hi from build'
        $steps = $null
        Build-ContainerImage $Context -Tag app:1 -InformationVariable steps | Out-Null
        "$(@($steps | Where-Object { "$_" -like '*RUN echo*' })[0])" | Should -Not -Match '\(cached\)$' -Because 'the cache is gone'

        $removed = Remove-ContainerImage -Unused -Force -PassThru
        $removed.Reference | Should -Be 'docker.io/library/app:1'
        (Get-ContainerImage).Reference | Should -Be 'docker.io/library/busybox:test' -Because 'a container uses it'
        & $records | Should -Be 1
        (Get-Residue).Snapshots | Should -Be 1
        Remove-Container user
        Remove-ContainerImage -Unused -Force
        Get-ContainerImage | Should -BeNullOrEmpty
        (Get-Residue).Blobs | Should -Be 0
    }
}

# Issue 19: nothing in a build reads or changes anything outside its context and its staging folder.
# Each test is an attack the red team made, on a host folder the test made (never /etc): links in the
# context, in a base image and in an earlier stage, a root filesystem tar, fifos and device nodes.
Describe 'Build-ContainerImage keeps the host out' {
    BeforeAll {
        # The host folder a hostile build aims at: a secret and a folder, all owned by 4242.
        $script:HostFolder = New-TestFolder 'host'
        Set-Content (Join-Path $HostFolder 'secret') 'host secret'
        New-Item -ItemType Directory -Path (Join-Path $HostFolder 'owned') | Out-Null
        function script:Get-HostOwners { & stat -c '%n %u:%g' $HostFolder (Join-Path $HostFolder 'secret') (Join-Path $HostFolder 'owned') }

        # A context whose links lead out (hostlink, dir/out) and in (inlink, relative; abslink, absolute,
        # which a build reads as in a chroot of the context, as buildah and BuildKit do).
        $script:Hostile = Join-Path $Work 'hostile'
        New-Item -ItemType Directory -Path (Join-Path $Hostile 'dir'), (Join-Path $Hostile 'sub') | Out-Null
        Set-Content (Join-Path $Hostile 'dir/file') 'in the context'
        Set-Content (Join-Path $Hostile 'sub/inside') 'inside'
        & ln -s $HostFolder (Join-Path $Hostile 'hostlink')
        & ln -s $HostFolder (Join-Path $Hostile 'dir/out')
        & ln -s 'sub/inside' (Join-Path $Hostile 'inlink')
        & ln -s '/sub/inside' (Join-Path $Hostile 'abslink')
        # Containerfiles live outside the context (-File), so that `COPY .` copies only the above.
        $script:Files = Join-Path $Work 'containerfiles'
        New-Item -ItemType Directory -Path $Files | Out-Null
        function script:New-Containerfile([string] $Text) {
            $path = Join-Path $Files "$([guid]::NewGuid().ToString('n').Substring(0, 8)).Containerfile"
            Set-Content $path $Text
            $path
        }
        function script:Test-BuildahRefuses([string] $File, [string] $Context) {
            & buildah @($Buildah.Options) bud --pull=never --isolation chroot -f $File $Context *> $null
            $LASTEXITCODE -ne 0
        }
        function script:Get-ImageListing([string] $Image, [string[]] $Paths) {
            Invoke-Container -Pull Never -Image $Image -Entrypoint stat -Command (@('-c', '%n %u:%g %F %N') + $Paths) -User 0
        }
        # A base image holding a link to the host folder, as a hostile image on a registry could, and a
        # folder of the same path in its own root (where the link leads in a container).
        $script:Linked = Join-Path $Work 'linked'
        $linkLayer = New-LayerTar -Entries @(
            @{ Name = "$($HostFolder.TrimStart('/'))/"; Type = 'Directory' }
            @{ Name = 'data/'; Type = 'Directory' }
            @{ Name = 'data/file'; Content = 'from the image' }
            @{ Name = 'data/out'; Type = 'SymbolicLink'; LinkName = $HostFolder })
        New-OciImageLayout -Path $Linked -LayerTars @((New-LayerTar -Folder $rootFs), $linkLayer) -Name 'linked:test' -Config @{ Cmd = @('sh'); Env = @('PATH=/bin') } | Out-Null
    }
    BeforeEach {
        & chown -R 4242:4242 $HostFolder
        $script:HostOwners = Get-HostOwners
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Busybox | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'refuses, as buildah does, a source reached through a context link that leads out, named or globbed' {
        foreach ($copy in 'COPY hostlink/secret /x', 'COPY hostlink /x', 'COPY */secret /x/', 'COPY hostlink/s* /x/') {
            $file = New-Containerfile "FROM scratch`n$copy"
            Test-BuildahRefuses $file $Hostile | Should -BeTrue -Because "buildah refuses '$copy'"
            Assert-ConmanError { Build-ContainerImage $Hostile -File $file -Tag leak:1 -ErrorAction Stop -InformationAction SilentlyContinue } BuildSourceNotFound ObjectNotFound
        }
        Get-ContainerImage leak:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Residue).Ingest | Should -Be 0
    }

    It 'copies a link met in a copied folder as the link, and a named link as what it points to inside the context' {
        $file = New-Containerfile "FROM busybox:test`nCOPY dir /d/`nCOPY inlink /in`nCOPY abslink /abs`nCOPY . /all/"
        Build-ContainerImage $Hostile -File $file -Tag links:1 -ErrorAction Stop -InformationAction SilentlyContinue | Out-Null
        $seen = Invoke-Container -Pull Never -Image links:1 -Entrypoint sh -Command '-c', 'for l in /d/out /all/hostlink /all/dir/out; do readlink $l; done; cat /d/file /in /abs; cat /d/out/secret /all/hostlink/secret 2>/dev/null; true'
        $seen | Should -Be @($HostFolder, $HostFolder, $HostFolder, 'in the context', 'inside', 'inside')
        Get-ImageListing links:1 '/in', '/abs' | Should -Be @("/in 0:0 regular file /in", "/abs 0:0 regular file /abs")
    }

    It 'gives --chown''s owner to the staged copy only, never to a host folder a context link points to' {
        $file = New-Containerfile "FROM busybox:test`nCOPY --chown=7:7 dir /d/`nCOPY --chown=7:7 . /all/"
        Build-ContainerImage $Hostile -File $file -Tag owned:1 -ErrorAction Stop -InformationAction SilentlyContinue | Out-Null
        Get-HostOwners | Should -Be $HostOwners -Because 'a host folder keeps its owners'
        Get-ImageListing owned:1 '/d/out', '/d/file', '/all/hostlink' | Should -Be @(
            "/d/out 7:7 symbolic link '/d/out' -> '$HostFolder'"
            "/d/file 7:7 regular file /d/file"
            "/all/hostlink 7:7 symbolic link '/all/hostlink' -> '$HostFolder'")
    }

    It 'COPY --from --chown of a base image''s and an earlier stage''s links to a host folder reads and re-owns nothing of the host' {
        Import-ContainerImage $Linked | Out-Null
        $file = New-Containerfile @"
FROM busybox:test AS made
RUN mkdir /made && ln -s $HostFolder /made/out && echo made > /made/file && ln -s file /made/in
FROM busybox:test
COPY --from=linked:test --chown=7:7 /data /fromimage/
COPY --from=made --chown=7:7 /made /fromstage/
COPY --from=made /made/in /single.txt
"@
        Build-ContainerImage $Hostile -File $file -Tag fromlinks:1 -ErrorAction Stop -InformationAction SilentlyContinue | Out-Null
        Get-HostOwners | Should -Be $HostOwners -Because 'a host folder keeps its owners'
        Get-ImageListing fromlinks:1 '/fromimage/out', '/fromimage/file', '/fromstage/out', '/fromstage/file' | Should -Be @(
            "/fromimage/out 7:7 symbolic link '/fromimage/out' -> '$HostFolder'"
            "/fromimage/file 7:7 regular file /fromimage/file"
            "/fromstage/out 7:7 symbolic link '/fromstage/out' -> '$HostFolder'"
            "/fromstage/file 7:7 regular file /fromstage/file")
        # A named link is followed inside the stage's root, as buildah and BuildKit follow it; one file to a file path is that file.
        Invoke-Container -Pull Never -Image fromlinks:1 -Entrypoint cat -Command /single.txt | Should -Be 'made'
        # WORKDIR, RUN and a COPY destination through the image's link stay in the image's root.
        $file = New-Containerfile "FROM linked:test`nWORKDIR /data/out/made`nRUN touch ran-here`nCOPY dir/file /data/out/copied"
        Build-ContainerImage $Hostile -File $file -Tag through:1 -ErrorAction Stop -InformationAction SilentlyContinue | Out-Null
        (Get-ChildItem $HostFolder).Name | Should -Be @('owned', 'secret') -Because 'nothing is made in the host folder'
        Invoke-Container -Pull Never -Image through:1 -Entrypoint ls -Command "$HostFolder/made", $HostFolder | Should -Be @("$($HostFolder):", 'copied', 'made', '', "$HostFolder/made:", 'ran-here')
        # A path through the image's link is resolved in the image's root, where the host's secret is not.
        $file = New-Containerfile "FROM busybox:test`nCOPY --from=linked:test /data/out/secret /x"
        Assert-ConmanError { Build-ContainerImage $Hostile -File $file -ErrorAction Stop -InformationAction SilentlyContinue } BuildSourceNotFound ObjectNotFound
    }

    It 'reads the context''s own Containerfile inside the context: a link to a host file is no Containerfile' {
        $context = Join-Path $Work 'linked-containerfile'
        New-Item -ItemType Directory -Path $context | Out-Null
        & ln -s (Join-Path $HostFolder 'secret') (Join-Path $context 'Containerfile')
        $err = Assert-ConmanError { Build-ContainerImage $context -ErrorAction Stop -InformationAction SilentlyContinue } HostPathNotFound ObjectNotFound
        $err.Exception.Message | Should -Not -Match 'secret|HOST' -Because 'nothing of the host file is read'
    }

    It 'builds FROM scratch with ADD of a root filesystem whose links lead to /run and /proc/self/fd, while a container runs, and the image runs' {
        $context = Join-Path $Work 'rootfs-context'
        New-Item -ItemType Directory -Path $context -Force | Out-Null
        $tar = New-LayerTar -Folder $rootFs -Entries @(
            @{ Name = 'var/'; Type = 'Directory' }
            @{ Name = 'var/run'; Type = 'SymbolicLink'; LinkName = '/run' }
            @{ Name = 'dev/'; Type = 'Directory' }
            @{ Name = 'dev/fd'; Type = 'SymbolicLink'; LinkName = '/proc/self/fd' })
        [IO.File]::WriteAllBytes((Join-Path $context 'rootfs.tar'), $tar)
        Set-Content (Join-Path $context 'Containerfile') "FROM scratch`nADD rootfs.tar /`nCMD [`"sh`", `"-c`", `"readlink /var/run; echo ran`"]"
        New-Container -Pull Never -Image busybox:test -Name runner -Command sleep, 300 | Start-Container
        $image = Build-ContainerImage $context -Tag debianlike:1 -ErrorAction Stop -InformationAction SilentlyContinue
        Invoke-Container -Pull Never -Image debianlike:1 | Should -Be @('/run', 'ran')
        $steps = $null
        (Build-ContainerImage $context -Tag debianlike:1 -ErrorAction Stop -InformationVariable steps).Id | Should -Be $image.Id
        "$(@($steps | Where-Object { "$_" -like '*ADD rootfs.tar*' })[0])" | Should -Match '\(cached\)$' -Because 'the cache key reads no host file through the links'
    }

    It 'copies fifos and device nodes of the context as nodes, never reading them: the build does not hang' {
        $context = Join-Path $Work 'nodes'
        New-Item -ItemType Directory -Path $context | Out-Null
        Set-Content (Join-Path $context 'plain') 'plain'
        & mkfifo (Join-Path $context 'pipe')
        & mknod (Join-Path $context 'null') c 1 3
        $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        $socket.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new((Join-Path $context 'sock')))
        $socket.Dispose()
        Set-Content (Join-Path $Files 'nodes.Containerfile') "FROM busybox:test`nCOPY . /ctx/`nCOPY pipe /p"
        # In a child session, bounded: a build that opens the fifo would wait for a writer for ever.
        $child = Invoke-ChildPwsh -NoWait -Script "Build-ContainerImage '$context' -File '$(Join-Path $Files 'nodes.Containerfile')' -Tag nodes:1 -ErrorAction Stop -InformationAction SilentlyContinue | Out-Null"
        $finished = $child.WaitForExit(120000)
        if (-not $finished) { $child.Kill($true) }
        $finished | Should -BeTrue -Because 'a fifo in the context never blocks the build'
        $child.ExitCode | Should -Be 0 -Because $child.StandardError.ReadToEnd()
        Invoke-Container -Pull Never -Image nodes:1 -Entrypoint ls -Command '/ctx' | Should -Be @('null', 'pipe', 'plain') -Because 'a socket is not a file to copy (buildah and tar skip it)'
        Get-ImageListing nodes:1 '/ctx/pipe', '/ctx/null', '/p' | Should -Be @(
            "/ctx/pipe 0:0 fifo /ctx/pipe"
            "/ctx/null 0:0 character special file /ctx/null"
            "/p 0:0 fifo /p")
    }
}
