# Build-ContainerImage end to end: a multi-stage Containerfile with every instruction, built by Conman
# and by buildah (Debian's) from the same busybox image, compared file by file and field by field;
# the build cache; failing steps. The images are built here from busybox-static (build/OciImage.psm1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
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
        Invoke-Container -Image app:1 | Should -Be 'hello from build'

        # buildah, from the same layout and context, its image brought back through an OCI layout.
        Invoke-Buildah bud --isolation chroot --format docker --build-arg "BASE=oci:$Busybox" --build-arg GREETING=hello -t buildah-app:1 -f (Join-Path $Context 'Containerfile') $Context
        $theirs = Join-Path $Work 'buildah-app'
        Invoke-Buildah push buildah-app:1 "oci:${theirs}:buildah-app:1"
        Import-ContainerImage $theirs -Name buildah-app:1 | Out-Null

        $ours = Invoke-Container -Image app:1 -Entrypoint sh -Command '-c', $Listing -User 0
        $other = Invoke-Container -Image buildah-app:1 -Entrypoint sh -Command '-c', $Listing -User 0
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
            Invoke-Container -Image app:1 -Command /srv/renamed.txt | Should -Be 'changed'
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
        New-Container -Image busybox:test -Name user -Command true | Out-Null
        $records = { @(Get-ChildItem (Get-TestLayout).ImagesFolder -Filter *.pb).Count }
        $before = & $records
        $before | Should -BeGreaterThan 10 -Because 'every build step is an image of the cache'
        Remove-ContainerImage -Unused -WhatIf
        & $records | Should -Be $before

        Remove-ContainerImage -Unused -Dangling
        & $records | Should -Be 2
        (Get-ContainerImage).Reference | Should -Be @('docker.io/library/busybox:test', 'docker.io/library/app:1')
        Invoke-Container -Image app:1 | Should -Be 'hi from build'
        $steps = $null
        Build-ContainerImage $Context -Tag app:1 -InformationVariable steps | Out-Null
        "$(@($steps | Where-Object { "$_" -like '*RUN echo*' })[0])" | Should -Not -Match '\(cached\)$' -Because 'the cache is gone'

        $removed = Remove-ContainerImage -Unused -PassThru
        $removed.Reference | Should -Be 'docker.io/library/app:1'
        (Get-ContainerImage).Reference | Should -Be 'docker.io/library/busybox:test' -Because 'a container uses it'
        & $records | Should -Be 1
        (Get-Residue).Snapshots | Should -Be 1
        Remove-Container user
        Remove-ContainerImage -Unused
        Get-ContainerImage | Should -BeNullOrEmpty
        (Get-Residue).Blobs | Should -Be 0
    }
}
