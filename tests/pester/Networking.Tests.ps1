BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    # What the containers' web servers serve, read-only.
    $script:Www = New-TestFolder 'www'
    Set-Content (Join-Path $Www 'index.html') 'hello from a container'

    function Get-FreePort {
        <# A TCP port nothing on the host listens on now (the kernel's choice). #>
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    function Invoke-Fetch([string] $Url) {
        <# The body of a URL fetched from the host (5 s bound), trimmed, or $null. #>
        $client = [System.Net.Http.HttpClient]::new()
        $client.Timeout = [TimeSpan]::FromSeconds(5)
        try { $client.GetStringAsync($Url).GetAwaiter().GetResult().Trim() } catch { $null } finally { $client.Dispose() }
    }

    function Invoke-ContainerFetch([string] $Name, [string] $Url) {
        <# The body of a URL fetched from inside a container with busybox wget, bounded by timeout (wget -T crashes Debian's static busybox). #>
        Invoke-ContainerCommand $Name -Command timeout, 5, wget, -q, -O, -, $Url 2>$null
    }

    function Get-ResidueOfCreated {
        <# Get-Residue where the root's Created containers' folders are expected: what a start left. #>
        $residue = Get-Residue
        $residue.Folders = 0
        $residue
    }

    function New-WebContainer {
        <# A container serving $Www with busybox httpd on port 80, started, and its object once it answers inside. #>
        param([string] $Name, [string[]] $Network, [string[]] $Publish = @(), [string[]] $Alias = @())
        $extra = @{}
        if ($Network) { $extra.Network = $Network }
        if ($Alias) { $extra.NetworkAlias = $Alias }
        if ($Publish) { $extra.Publish = $Publish }
        New-Container -RootFs $RootFs -Name $Name -Volume "${Www}:/www:ro" -Command httpd, -f, -p, 80, -h, /www @extra | Start-Container
        Wait-Until { (Invoke-ContainerFetch $Name http://127.0.0.1/) -eq 'hello from a container' } `
            -Because "$Name serves"
        Get-Container $Name
    }
}
AfterAll { Complete-TestFile }

Describe 'Published ports and the default network' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'serves a container''s port on the host''s 127.0.0.1 and on its gateway address, and from another container' {
        $port = Get-FreePort
        $web = New-WebContainer -Name web -Publish "${port}:80"
        $web.Ports | Should -HaveCount 1
        $web.PortSummary | Should -Be "0.0.0.0:${port}->80/tcp"
        $web.IPAddress | Should -Match '^10\.90\.\d+\.\d+$'
        $network = Get-ContainerNetwork conman
        $network.Containers | Should -Be @('web')
        Invoke-Fetch "http://127.0.0.1:$port/" | Should -Be 'hello from a container'
        Invoke-Fetch "http://$($network.Gateway):$port/" | Should -Be 'hello from a container'
        # From another container on the default network: by address, and through the published port (hairpin).
        New-Container -RootFs $RootFs -Name client -Command sleep, 60 | Start-Container
        Invoke-ContainerFetch client "http://$($web.IPAddress)/" | Should -Be 'hello from a container'
        Invoke-ContainerFetch client "http://$($network.Gateway):$port/" | Should -Be 'hello from a container'
        (Get-Container | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape("0.0.0.0:${port}->80/tcp"))
        # docker stats' NET I/O: what went through its interfaces, lo aside.
        $stats = Get-ContainerStatistic web
        $stats.NetworkSent | Should -BeGreaterThan 100
        $stats.NetworkReceived | Should -BeGreaterThan 100
        ($stats | Format-Table | Out-String -Width 200) | Should -Match 'Net I/O'
    }

    It 'gives the container eth0, a default route, and Docker''s /etc files' {
        New-Container -RootFs $RootFs -Name files -Hostname box -Command sleep, 60 | Start-Container
        $c = Get-Container files
        $c.NetworkEndpoints[0].Interface | Should -Be eth0
        (Invoke-ContainerCommand files -Command ip, route) -join "`n" | Should -Match "default via $([regex]::Escape($c.NetworkEndpoints[0].Gateway)) dev eth0"
        $hosts = Invoke-ContainerCommand files -Command cat, /etc/hosts
        $hosts | Should -Contain "127.0.0.1`tlocalhost"
        $hosts | Should -Contain "$($c.IPAddress)`tbox files $($c.ShortId)"
        Invoke-ContainerCommand files -Command cat, /etc/hostname | Should -Be box
        Invoke-ContainerCommand files -User 65534 -Command cat, /etc/hostname | Should -Be box -Because 'the files are readable by the container''s other users, as Docker''s'
        $resolv = Invoke-ContainerCommand files -Command cat, /etc/resolv.conf
        $resolv | Where-Object { $_ -match '^nameserver\s+(127\.|::1)' } | Should -BeNullOrEmpty -Because 'loopback resolvers of the host cannot be reached from the container'
        @($resolv | Where-Object { $_ -match '^nameserver ' }).Count | Should -BeGreaterThan 0
    }

    It 'reaches a server on the host through its gateway (the host''s own address on the bridge)' {
        New-Container -RootFs $RootFs -Name out -Command sleep, 60 | Start-Container
        $gateway = (Get-Container out).NetworkEndpoints[0].Gateway
        $port = Get-FreePort
        $server = Start-Process busybox -ArgumentList 'httpd', '-f', '-p', "${gateway}:$port", '-h', $Www -PassThru
        try {
            Wait-Until { Invoke-Fetch "http://${gateway}:$port/" } -Because 'the host''s server listens'
            Invoke-ContainerFetch out "http://${gateway}:$port/" | Should -Be 'hello from a container'
        }
        finally { $server | Stop-Process -Force }
    }

    It 'publishes an image''s ExposedPorts on free host ports with -PublishAll' {
        $layout = New-BusyboxImageLayout -Path (Join-Path $Root 'image') -Name 'web:exposed' -Config @{
            Cmd = @('httpd', '-f', '-p', '80', '-h', '/www'); ExposedPorts = @{ '80/tcp' = @{} }
        }
        Import-ContainerImage $layout | Out-Null
        New-Container -Image web:exposed -Name all -PublishAll -Volume "${Www}:/www:ro" | Start-Container
        $port = (Get-Container all).Ports | Where-Object ContainerPort -EQ 80
        $port.HostPort | Should -BeGreaterThan 0
        Wait-Until { Invoke-Fetch "http://127.0.0.1:$($port.HostPort)/" } -Because 'the chosen port forwards'
        Invoke-Fetch "http://127.0.0.1:$($port.HostPort)/" | Should -Be 'hello from a container'
    }

    It 'refuses a host port that is taken, leaving the container Created and nothing set up' {
        $port = Get-FreePort
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)
        $listener.Start()
        try {
            New-Container -RootFs $RootFs -Name taken -Publish "${port}:80" -Command sleep, 60 | Out-Null
            $e = Assert-ConmanError { Start-Container taken -ErrorAction Stop } PortInUse ResourceUnavailable taken
            $e.Exception.Message | Should -Match 'already in use'
            (Get-Container taken).State | Should -Be Created
            Assert-NoResidue -Residue (Get-ResidueOfCreated) -Because 'a refused start sets nothing up'
        }
        finally { $listener.Stop() }
        # And between two containers: the running one's shim holds the port.
        Start-Container taken
        New-Container -RootFs $RootFs -Name second -Publish "${port}:80" -Command sleep, 60 | Out-Null
        Assert-ConmanError { Start-Container second -ErrorAction Stop } PortInUse ResourceUnavailable second | Out-Null
        (Get-Container second).State | Should -Be Created
    }

    It 'rejects bad port specs and network modes at create, writing nothing' {
        foreach ($spec in '0:80', '80:99999', 'a:80', '8080-8081:80', '1.2.3.4.5:80:80', '80/sctp') {
            Assert-ConmanError { New-Container -RootFs $RootFs -Publish $spec -ErrorAction Stop } InvalidPortSpec InvalidArgument | Out-Null
        }
        Assert-ConmanError { New-Container -RootFs $RootFs -Network none -Publish 80 -ErrorAction Stop } InvalidPortSpec InvalidArgument | Out-Null
        Assert-ConmanError { New-Container -RootFs $RootFs -Network none, host -ErrorAction Stop } InvalidNetworkMode InvalidArgument | Out-Null
        Assert-ConmanError { New-Container -RootFs $RootFs -Network nosuch -ErrorAction Stop } NetworkNotFound ObjectNotFound nosuch | Out-Null
        Assert-ConmanError { New-Container -RootFs $RootFs -NetworkAlias db -ErrorAction Stop } InvalidNetworkMode InvalidArgument | Out-Null
        Get-Container | Should -BeNullOrEmpty
    }
}

Describe 'Network modes' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It '-Network none gives loopback only, and host the host''s interfaces' {
        New-Container -RootFs $RootFs -Name alone -Network none -Command sleep, 60 | Start-Container
        $links = (Invoke-ContainerCommand alone -Command ip, -o, link) -join "`n"
        $links | Should -Match ': lo: <LOOPBACK,UP'
        $links | Should -Not -Match 'eth0'
        (Get-Container alone).NetworkMode | Should -Be none
        (Get-Container alone).IPAddress | Should -BeNullOrEmpty
        Get-ContainerNetwork | Should -BeNullOrEmpty -Because 'no container needed the default network'

        New-Container -RootFs $RootFs -Name onhost -Network host -Command sleep, 60 | Start-Container
        # The same network namespace as the host's, not a copy of its interfaces.
        $inside = Invoke-ContainerCommand onhost -Command readlink, /proc/self/ns/net
        $inside | Should -Be ([System.IO.FileInfo]::new('/proc/self/ns/net').LinkTarget)
        Invoke-ContainerCommand alone -Command readlink, /proc/self/ns/net | Should -Not -Be $inside
    }
}

Describe 'User-made networks' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'resolves containers by name and alias, and keeps every member''s hosts file current' {
        $network = New-ContainerNetwork -Name backend -Label @{ tier = 'test' }
        $network.NamesResolve | Should -BeTrue
        $network.Subnet | Should -Match '^10\.90\.\d+\.0/24$'
        $web = New-WebContainer -Name web -Network backend -Alias www
        New-Container -RootFs $RootFs -Name client -Network backend -Command sleep, 60 | Start-Container
        Invoke-ContainerFetch client http://web/ | Should -Be 'hello from a container'
        Invoke-ContainerFetch client http://www/ | Should -Be 'hello from a container'
        # The member that was there first learnt of the one that came after.
        $client = Get-Container client
        Invoke-ContainerCommand web -Command cat, /etc/hosts | Should -Contain "$($client.IPAddress)`t$($client.ShortId) client"
        Stop-Container client -Force
        Invoke-ContainerCommand web -Command cat, /etc/hosts | Should -Not -Contain "$($client.IPAddress)`t$($client.ShortId) client"
        (Get-ContainerNetwork backend).Containers | Sort-Object | Should -Be @('client', 'web')
        New-Container -RootFs $RootFs -Name elsewhere -Command true | Out-Null
        (Get-Container -Network backend).Name | Sort-Object | Should -Be @('client', 'web')
    }

    It 'picks subnets that do not overlap, and refuses one that does' {
        $a = New-ContainerNetwork -Name a
        $b = New-ContainerNetwork -Name b
        $a.Subnet | Should -Not -Be $b.Subnet
        Assert-ConmanError { New-ContainerNetwork -Name c -Subnet $a.Subnet -ErrorAction Stop } SubnetInUse ResourceExists | Out-Null
        Assert-ConmanError { New-ContainerNetwork -Name a -ErrorAction Stop } NetworkNameInUse ResourceExists a | Out-Null
        Assert-ConmanError { New-ContainerNetwork -Name host -ErrorAction Stop } InvalidNetworkName InvalidArgument | Out-Null
        Assert-ConmanError { New-ContainerNetwork -Name d -Subnet 10.91.0.0/24 -Gateway 10.92.0.1 -ErrorAction Stop } InvalidSubnet InvalidArgument | Out-Null
        $own = New-ContainerNetwork -Name own -Subnet 10.91.77.0/24 -Gateway 10.91.77.254 -Internal
        ($own.Subnet, $own.Gateway, $own.Internal) | Should -Be @('10.91.77.0/24', '10.91.77.254', $true)
        New-ContainerNetwork -Name dry -WhatIf
        Get-ContainerNetwork dry -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'connects and disconnects a running container, at once and for its next starts' {
        New-ContainerNetwork -Name side | Out-Null
        New-WebContainer -Name web -Network side | Out-Null
        New-Container -RootFs $RootFs -Name roamer -Command sleep, 60 | Start-Container
        Connect-ContainerNetwork side roamer -Alias wanderer
        $roamer = Get-Container roamer
        $roamer.Networks | Should -Be @('conman', 'side')
        $roamer.NetworkEndpoints.Interface | Should -Be @('eth0', 'eth1')
        Invoke-ContainerFetch roamer http://web/ | Should -Be 'hello from a container'
        $address = ($roamer.NetworkEndpoints | Where-Object Network -EQ side).IPAddress
        Invoke-ContainerCommand web -Command cat, /etc/hosts | Should -Contain "$address`t$($roamer.ShortId) roamer wanderer"
        Assert-ConmanError { Connect-ContainerNetwork side roamer -ErrorAction Stop } AlreadyConnected InvalidOperation roamer | Out-Null

        Disconnect-ContainerNetwork side roamer
        (Get-Container roamer).NetworkEndpoints.Network | Should -Be @('conman')
        Invoke-ContainerCommand web -Command cat, /etc/hosts | Should -Not -Contain "$address`t$($roamer.ShortId) roamer wanderer"
        (Invoke-ContainerCommand roamer -Command ip, -o, link) -join "`n" | Should -Not -Match 'eth1'
        Assert-ConmanError { Disconnect-ContainerNetwork side roamer -ErrorAction Stop } NotConnected InvalidOperation roamer | Out-Null

        # Kept for the next start; and the exit undoes what was connected while it ran.
        Get-Container roamer | Connect-ContainerNetwork side
        Stop-Container roamer -Force
        $residue = Get-Residue
        $residue.Leases | Should -Be 1 -Because 'only web runs'
        Start-Container roamer
        (Get-Container roamer).NetworkEndpoints.Network | Should -Be @('conman', 'side')
        Get-Container | Remove-Container -Force
        Assert-NoResidue
    }

    It 'keeps a published port and the container''s own hosts file through a disconnect and a connect' {
        $port = Get-FreePort
        $web = New-WebContainer -Name web -Publish "${port}:80"
        Invoke-Fetch "http://127.0.0.1:$port/" | Should -Be 'hello from a container'
        Disconnect-ContainerNetwork conman web
        Invoke-Fetch "http://127.0.0.1:$port/" | Should -BeNullOrEmpty -Because 'it is on no network'
        Connect-ContainerNetwork conman web
        $now = Get-Container web
        Invoke-Fetch "http://127.0.0.1:$port/" | Should -Be 'hello from a container'
        $hosts = Invoke-ContainerCommand web -Command cat, /etc/hosts
        $hosts | Should -Contain "$($now.IPAddress)`t$($now.ShortId) web"
        @($hosts | Where-Object { $_ -match "`tweb`$|`t$($now.ShortId) web" }) | Should -HaveCount 1 -Because 'its old address is gone'

        # With two networks, the ports go with the first one left when the one carrying them goes.
        New-ContainerNetwork -Name side | Out-Null
        Connect-ContainerNetwork side web
        Disconnect-ContainerNetwork conman web
        Invoke-Fetch "http://127.0.0.1:$port/" | Should -Be 'hello from a container'
        Invoke-ContainerCommand web -Command cat, /etc/hosts | Should -Not -Contain "$($now.IPAddress)`t$($now.ShortId) web"
        Get-Container | Remove-Container -Force
        Assert-NoResidue
    }

    It 'refuses to remove a network in use unless -Force, which removes its containers' {
        New-ContainerNetwork -Name busy | Out-Null
        New-Container -RootFs $RootFs -Name user -Network busy -Command sleep, 60 | Start-Container
        $bridge = (Get-ContainerNetwork busy).Bridge
        Test-Path "/sys/class/net/$bridge" | Should -BeTrue
        Assert-ConmanError { Remove-ContainerNetwork busy -ErrorAction Stop } NetworkInUse InvalidOperation busy | Out-Null
        Remove-ContainerNetwork busy -Force
        Get-Container user -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path "/sys/class/net/$bridge" | Should -BeFalse
        Assert-NoResidue
    }
}

Describe 'Networking leaves nothing behind' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'releases addresses, rules and ports when a container exits, with no session alive' {
        $port = Get-FreePort
        New-ContainerNetwork -Name lan | Out-Null
        # It runs until the test makes /tmp/go, then exits by itself, long after its session ended.
        $script = "Import-Module '$(Get-ConmanModulePath)'; New-Container -RootFs '$RootFs' -Name brief -Network lan -Publish '${port}:80' " +
            "-Command sh, -c, 'while [ ! -e /tmp/go ]; do sleep 0.1; done' | Start-Container"
        Invoke-ChildPwsh $script | Out-Null
        (Get-Container brief).State | Should -Be Running
        (Get-Residue).Leases | Should -Be 1
        (Get-Residue).FirewallRules | Should -BeGreaterThan 0
        Set-Content (Join-Path (Get-TestLayout).MergedRootFs((Get-Container brief).Id) 'tmp/go') ''
        Wait-Container brief | Out-Null
        $residue = Get-Residue
        ($residue.Leases, $residue.FirewallRules, $residue.NetworkPorts, $residue.Members, $residue.Mounts) | Should -Be @(0, 0, 0, 0, 0)
        # The port is free again.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, $port)
        $listener.Start(); $listener.Stop()
    }

    It '20 sessions starting containers at once get 20 distinct addresses, all released at the end' {
        $script = "`$c = New-Container '$RootFs' -Command sleep, 60; Start-Container -Id `$c.Id; (Get-Container -Id `$c.Id).IPAddress"
        $addresses = (Invoke-Concurrently -Script $script -Sessions 20) -split "`n" | ForEach-Object Trim | Where-Object { $_ -match '^10\.' }
        $addresses | Should -HaveCount 20
        ($addresses | Sort-Object -Unique) | Should -HaveCount 20
        (Get-Residue).Leases | Should -Be 20
        Get-Container | Remove-Container -Force
        Assert-NoResidue
    }

    It 'undoes a setup that failed halfway: the first network set up, the second''s plugin failing' {
        New-ContainerNetwork -Name good | Out-Null
        New-ContainerNetwork -Name bad | Out-Null
        # host-local cannot keep its allocations where a file stands in for its folder.
        New-Item -ItemType File -Path (Join-Path (Get-TestLayout).IpamFolder 'bad') -Force | Out-Null
        New-Container -RootFs $RootFs -Name half -Network good, bad -Command sleep, 60 | Out-Null
        try {
            $e = Assert-ConmanError { Start-Container half -ErrorAction Stop } NetworkSetupFailed InvalidResult half
            $e.Exception.Message | Should -Match "network 'bad'"
            (Get-Container half).State | Should -Be Created
            Assert-NoResidue -Residue (Get-ResidueOfCreated) -Because 'the first network was undone'
        }
        finally { Remove-Item (Join-Path (Get-TestLayout).IpamFolder 'bad') }
        Start-Container half
        (Get-Container half).NetworkEndpoints.Network | Should -Be @('good', 'bad')
    }

    It 'undoes a setup whose session was killed halfway, at the next start and at Remove' {
        New-ContainerNetwork -Name first | Out-Null
        New-ContainerNetwork -Name second | Out-Null
        New-Container -RootFs $RootFs -Name cut -Network first, second -Command sleep, 60 | Out-Null
        # host-local waits for its lock: held here, the second network's setup blocks after the first's is done.
        $lockFolder = Join-Path (Get-TestLayout).IpamFolder 'second'
        New-Item -ItemType Directory -Path $lockFolder -Force | Out-Null
        $lock = [System.IO.File]::Open((Join-Path $lockFolder 'lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            $child = Start-Process (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-Command', "Import-Module '$(Get-ConmanModulePath)'; Start-Container cut" -PassThru `
                -Environment @{ CONMAN_ROOT = $Root }
            Wait-Until { (Get-Residue).Leases -eq 1 } -Because 'the first network is set up'
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
        }
        finally { $lock.Dispose() }
        # The orphaned plugin goes on once the lock is free; its work is undone like the rest.
        Start-Sleep -Milliseconds 500
        (Get-Container cut).State | Should -Be Created
        Start-Container cut
        (Get-Container cut).NetworkEndpoints | Should -HaveCount 2
        Remove-Container cut -Force
        Assert-NoResidue
    }

    It 'leaves nothing after its shim is killed and Remove-Container -Force' {
        New-ContainerNetwork -Name lan | Out-Null
        New-Container -RootFs $RootFs -Name lost -Network lan -Publish 80 -Command sleep, 60 | Start-Container
        $shim = (Read-StoreRecord RunRecord (Get-TestLayout).RunPath((Get-Container lost).Id)).Shim.Pid
        Stop-Process -Id $shim -Force
        Wait-Until { (Get-Container lost).State -eq 'Unknown' } -Because 'the shim died'
        (Get-Residue).Leases | Should -Be 1
        Remove-Container lost -Force
        Assert-NoResidue
    }
}

# Docker's -Network container:<name>: a namespace one container owns and another joins (issue 20).
Describe 'A container on another''s network' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'shares the owner''s interfaces, address, ports, hostname and /etc files, and reaches it on 127.0.0.1' {
        $port = Get-FreePort
        $web = New-WebContainer -Name web -Publish "${port}:80"
        New-Container -RootFs $RootFs -Name side -Network container:web -Command sleep, 60 | Start-Container
        $side = Get-Container side
        $side.NetworkMode | Should -Be "container:$($web.Id)"
        Invoke-ContainerFetch side http://127.0.0.1/ | Should -Be 'hello from a container'
        (Invoke-ContainerCommand side -Command ip, -o, -4, addr, show, eth0) -join '' | Should -Match ([regex]::Escape("$($web.IPAddress)/"))
        Invoke-ContainerCommand side -Command hostname | Should -Be (Invoke-ContainerCommand web -Command hostname)
        (Invoke-ContainerCommand side -Command cat, /etc/hosts) -join "`n" | Should -Be ((Invoke-ContainerCommand web -Command cat, /etc/hosts) -join "`n")
        (Get-Residue).Leases | Should -Be 1 -Because 'the joiner holds no address of its own'
        # A joiner of a joiner joins the same namespace, and depends on its owner.
        New-Container -RootFs $RootFs -Name third -Network container:side -Command sleep, 60 | Out-Null
        (Get-Container third).NetworkMode | Should -Be "container:$($web.Id)"
        Remove-Container third, side -Force
        Remove-Container web -Force
        Assert-NoResidue
    }

    It 'refuses what the owner''s network decides, a missing owner, and a start while the owner does not run' {
        New-Container -RootFs $RootFs -Name owner -Command sleep, 60 | Out-Null
        $join = @{ RootFs = $RootFs; Network = 'container:owner'; Command = 'true'; ErrorAction = 'Stop' }
        Assert-ConmanError { New-Container @join -Publish 8080:80 } InvalidPortSpec InvalidArgument | Out-Null
        Assert-ConmanError { New-Container @join -Hostname other } InvalidNetworkMode InvalidArgument | Out-Null
        Assert-ConmanError { New-Container @join -NetworkAlias other } InvalidNetworkMode InvalidArgument | Out-Null
        Assert-ConmanError { New-Container @join -UserNs auto } InvalidNetworkMode InvalidArgument | Out-Null
        Assert-ConmanError { New-Container -RootFs $RootFs -Network container:owner, bridge -Command true -ErrorAction Stop } InvalidNetworkMode InvalidArgument | Out-Null
        Assert-ConmanError { New-Container -RootFs $RootFs -Network container:ghost -Command true -ErrorAction Stop } ContainerNotFound ObjectNotFound | Out-Null
        @(Get-Container) | Should -HaveCount 1 -Because 'nothing was made'

        New-Container -RootFs $RootFs -Name joiner -Network container:owner -Command sleep, 60 | Out-Null
        Assert-ConmanError { Start-Container joiner -ErrorAction Stop } NetworkOwnerNotRunning InvalidOperation joiner | Out-Null
        (Get-Container joiner).State | Should -Be Created
        Assert-ConmanError { Remove-Container owner -Force -ErrorAction Stop } ContainerHasDependents InvalidOperation owner | Out-Null
        (Get-Container owner).State | Should -Be Created
        Remove-Container joiner
        Remove-Container owner
        Assert-NoResidue
    }

    It 'stops its joiners before the owner''s namespace goes, whether the owner is stopped or ends by itself' {
        $wait = 'trap "exit 0" TERM; while [ ! -e /tmp/end ]; do sleep 0.1; done'
        New-Container -RootFs $RootFs -Name owner -Command sh, -c, $wait | Start-Container
        New-Container -RootFs $RootFs -Name joiner -Network container:owner -Command sh, -c, 'trap "exit 0" TERM; while :; do sleep 0.1; done' | Start-Container
        Stop-Container owner -Timeout 5
        (Get-Container joiner).State | Should -Be Exited
        (Get-Container joiner).ExitCode | Should -Be 0 -Because 'it was asked to stop with its stop signal, not killed'
        (Get-Container owner).State | Should -Be Exited

        Start-Container owner
        Start-Container joiner
        Invoke-ContainerCommand owner -Command touch, /tmp/end
        Wait-Until { (Get-Container owner).State -eq 'Exited' -and (Get-Container joiner).State -eq 'Exited' } -Because 'the owner''s shim stops its joiner'
        (Get-Container joiner).ExitCode | Should -Be 0
        Remove-Container joiner, owner
        Assert-NoResidue
    }
}
