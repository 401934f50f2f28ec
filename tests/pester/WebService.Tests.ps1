# A suite written as a Conman user writes one (docs/pester.md), now with a published port: busybox
# httpd started once in BeforeAll with -Publish, waited for, then tested from the host over
# 127.0.0.1 with Invoke-WebRequest under $ErrorActionPreference = 'Stop', and removed in AfterAll
# whatever happened. Only loopback and the container's own address are contacted.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $layout = Join-Path (New-TestFolder 'web') 'busybox'
    New-OciImageLayout -Path $layout -LayerTars @(, (New-LayerTar -Folder $rootFs)) -Name 'busybox:web' | Out-Null
    $script:Www = New-TestFolder 'www'
    Set-Content (Join-Path $Www 'index.html') 'hello from a published port'
    $script:Root = Enter-TestRoot
    Import-ContainerImage $layout | Out-Null

    # From here on, what a user's BeforeAll holds: a free host port chosen by Conman (-Publish 80),
    # read back from the container object.
    $ErrorActionPreference = 'Stop'
    $script:Web = New-Container busybox:web -Name web -RemoveWithSession -Publish 127.0.0.1::80 -Volume "${Www}:/www:ro" -- httpd -f -p 80 -h /www |
        Start-Container -PassThru |
        Wait-ContainerReady -Port 80 -HttpPath / -Timeout 30 -PassThru
    $script:Url = "http://127.0.0.1:$(($Web.Ports | Where-Object ContainerPort -EQ 80).HostPort)"
}
AfterAll {
    # What a user's AfterAll holds: the service goes, even when a test failed or BeforeAll did.
    if ($Web) { Remove-Container -Id $Web.Id -Force }
    $residue = Get-Residue
    Exit-TestRoot
    Complete-TestFile
    Assert-NoResidue $residue -Because 'the suite removed its service container and its network set-up'
}

Describe 'A web server in a container, published on the host' {
    It 'publishes its port on 127.0.0.1, on a free host port' {
        $port = $Web.Ports | Where-Object ContainerPort -EQ 80
        $port.HostIP | Should -Be '127.0.0.1'
        $port.HostPort | Should -BeGreaterThan 0
        (Get-Container -Id $Web.Id).PortSummary | Should -Be "127.0.0.1:$($port.HostPort)->80/tcp"
    }

    It 'answers HTTP from the host' {
        $response = Invoke-WebRequest "$Url/" -UseBasicParsing
        $response.StatusCode | Should -Be 200
        $response.Content.Trim() | Should -Be 'hello from a published port'
    }

    It 'answers 404 for what it does not have, as an error under Stop' {
        { Invoke-WebRequest "$Url/missing.html" -UseBasicParsing } | Should -Throw -ExpectedMessage '*404*'
    }

    It 'serves many requests in a row' {
        1..20 | ForEach-Object { (Invoke-WebRequest "$Url/" -UseBasicParsing).StatusCode } | Sort-Object -Unique | Should -Be 200
    }
}
