# What a container can reach (issue 19), written as the red team's attacks. The attackers are
# containers with their default capabilities, and network namespaces the test makes itself: one
# plugged into a network's bridge stands for a container that can forge any packet (CAP_NET_RAW or
# CAP_NET_ADMIN: it sets its own routes), one on a veth to the host stands for a neighbour on the
# LAN. They contact only loopback and what the test made: the host's servers listen on 127.0.0.x or
# on a test address on lo, and the namespaces' links have addresses of 198.19.0.0/16 (RFC 2544).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    $script:Www = New-TestFolder 'www'
    Set-Content (Join-Path $Www 'index.html') 'hello from a container'
    $script:Secret = New-TestFolder 'secret'
    Set-Content (Join-Path $Secret 'index.html') 'the host''s secret'
    # The network namespaces and host links a test made, removed by Remove-Neighbours.
    $script:Namespaces = [System.Collections.Generic.List[string]]::new()
    $script:HostLinks = [System.Collections.Generic.List[string]]::new()

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
        <# The body of a URL fetched from inside a container with busybox wget (3 s bound), or nothing. #>
        Invoke-ContainerCommand $Name -Command timeout, 3, wget, -q, -O, -, $Url 2>$null
    }

    function Invoke-NeighbourFetch([string] $Namespace, [string] $Url) {
        <# The body of a URL fetched from one of the test's namespaces with the host's busybox wget (3 s bound), or nothing. #>
        & ip netns exec $Namespace busybox timeout 3 busybox wget -q -O - $Url 2>$null
    }

    function Start-HostServer([string] $Address, [int] $Port, [string] $Folder) {
        <# busybox httpd on the host, serving the folder on one address, once it answers. #>
        $server = Start-Process busybox -ArgumentList 'httpd', '-f', '-p', "${Address}:$Port", '-h', $Folder -PassThru
        try { Wait-Until { Invoke-Fetch "http://${Address}:$Port/" } -Because "the host's server on ${Address}:$Port answers" }
        catch { $server | Stop-Process -Force; throw }
        $server
    }

    function New-WebContainer {
        <# A container serving $Www with busybox httpd on port 80, started, and its object once it answers inside. #>
        param([string] $Name, [string[]] $Network, [string[]] $Publish = @())
        $extra = @{ Network = $Network }
        if ($Publish) { $extra.Publish = $Publish }
        New-Container -RootFs $RootFs -Name $Name -Volume "${Www}:/www:ro" -Command httpd, -f, -p, 80, -h, /www @extra | Start-Container
        Wait-Until { (Invoke-ContainerFetch $Name http://127.0.0.1/) -eq 'hello from a container' } -Because "$Name serves"
        Get-Container $Name
    }

    function New-Neighbour {
        <#
        .SYNOPSIS
            A network namespace of the test's, with a veth whose other end is plugged into -Bridge (a
            container's place, at the network's address .200) or left on the host with an address of
            its own (a neighbour on the LAN). Its routes send 127.0.0.0/8 and -Route to the host, as
            an attacker that forges its packets would; route_localnet lets it use them. Returns
            @{ Namespace; Address; HostAddress }.
        #>
        param([object] $Network, [string[]] $Route = @())
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $namespace = "cmt-$tag"
        & ip netns add $namespace
        $script:Namespaces.Add($namespace)
        & ip link add "cmt${tag}h" type veth peer name "cmt${tag}n" netns $namespace
        $script:HostLinks.Add("cmt${tag}h")
        if ($Network) {
            $address = $Network.Subnet.Substring(0, $Network.Subnet.LastIndexOf('.') + 1) + '200'
            $hostAddress = $Network.Gateway
            & ip link set "cmt${tag}h" master $Network.Bridge up
            & ip -n $namespace addr add "$address/$($Network.Subnet.Split('/')[1])" dev "cmt${tag}n"
        }
        else {
            $base = 4 * (Get-Random -Minimum 0 -Maximum 16384)
            $hostAddress = "198.19.$([math]::Floor($base / 256)).$($base % 256 + 1)"
            $address = "198.19.$([math]::Floor($base / 256)).$($base % 256 + 2)"
            & ip addr add "$hostAddress/30" dev "cmt${tag}h"
            & ip link set "cmt${tag}h" up
            & ip -n $namespace addr add "$address/30" dev "cmt${tag}n"
        }
        & ip -n $namespace link set "cmt${tag}n" up
        foreach ($destination in @('127.0.0.0/8') + $Route) { & ip -n $namespace route add $destination via $hostAddress }
        & ip netns exec $namespace sysctl -q -w net.ipv4.conf.all.route_localnet=1 "net.ipv4.conf.cmt${tag}n.route_localnet=1"
        @{ Namespace = $namespace; Address = $address; HostAddress = $hostAddress }
    }

    function Remove-Neighbours {
        <# Removes the namespaces and host links this test made (the AfterEach, before Exit-TestRoot). #>
        foreach ($namespace in $script:Namespaces) { & ip netns delete $namespace 2>$null }
        foreach ($link in $script:HostLinks) { if (Test-Path "/sys/class/net/$link") { & ip link delete $link 2>$null } }
        $script:Namespaces.Clear()
        $script:HostLinks.Clear()
    }

    function Get-HostRuleset {
        <# Conman's nftables table as nft lists it, or '' when there is none. #>
        $text = & nft list table inet conman 2>$null
        if ($LASTEXITCODE -ne 0) { return '' }
        $text -join "`n"
    }
}
AfterAll { Complete-TestFile }

Describe 'The host''s loopback' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Remove-Neighbours; Exit-TestRoot }

    It 'stays out of reach of a network''s containers while one publishes a port, and after it stopped' {
        $secretAddress = "127.0.0.$(Get-Random -Minimum 2 -Maximum 250)"
        $secretPort = Get-FreePort
        $server = Start-HostServer $secretAddress $secretPort $Secret
        try {
            $secretUrl = "http://${secretAddress}:$secretPort/"
            $lan = New-ContainerNetwork -Name lan
            $port = Get-FreePort
            New-WebContainer -Name publisher -Network lan -Publish "127.0.0.1:${port}:80" | Out-Null
            # The published port still answers on the host's own 127.0.0.1 (portmap's route_localnet does that).
            Invoke-Fetch "http://127.0.0.1:$port/" | Should -Be 'hello from a container'
            $attacker = New-Neighbour -Network $lan
            Invoke-NeighbourFetch $attacker.Namespace $secretUrl | Should -BeNullOrEmpty -Because 'nothing from a bridge reaches 127.0.0.0/8 (CVE-2020-8558)'
            Stop-Container publisher -Force
            Invoke-NeighbourFetch $attacker.Namespace $secretUrl | Should -BeNullOrEmpty -Because 'route_localnet stays on the bridge after its publisher stopped'
        }
        finally { $server | Stop-Process -Force }
    }

    It 'keeps a port published on 127.0.0.1 from other networks'' containers and from the LAN, which still reach ports published on every address' {
        New-ContainerNetwork -Name a | Out-Null
        $b = New-ContainerNetwork -Name b
        $loopbackPort = Get-FreePort
        $openPort = Get-FreePort
        New-WebContainer -Name web -Network a -Publish "127.0.0.1:${loopbackPort}:80", "${openPort}:80" | Out-Null
        Invoke-Fetch "http://127.0.0.1:$loopbackPort/" | Should -Be 'hello from a container'
        # Network b's bridge exists once a container uses it; the namespace then joins it.
        New-Container -RootFs $RootFs -Name other -Network b -Command sleep, 120 | Start-Container
        $elsewhere = New-Neighbour -Network $b
        Invoke-NeighbourFetch $elsewhere.Namespace "http://127.0.0.1:$loopbackPort/" | Should -BeNullOrEmpty -Because 'a container of network b forges packets to 127.0.0.1'
        $lan = New-Neighbour
        Invoke-NeighbourFetch $lan.Namespace "http://127.0.0.1:$loopbackPort/" | Should -BeNullOrEmpty -Because 'a LAN neighbour routes 127.0.0.0/8 to the host'
        Invoke-NeighbourFetch $lan.Namespace "http://$($lan.HostAddress):$openPort/" | Should -Be 'hello from a container' -Because 'a port published on every address is for the LAN'
    }
}

Describe 'Networks keep their containers apart' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Remove-Neighbours; Exit-TestRoot }

    It 'keeps a container of one network from another network''s containers, but not from the ports they publish on the host' {
        $a = New-ContainerNetwork -Name a
        New-ContainerNetwork -Name b | Out-Null
        $port = Get-FreePort
        $web = New-WebContainer -Name web -Network b -Publish "${port}:80"
        New-Container -RootFs $RootFs -Name client -Network a -Command sleep, 120 | Start-Container
        New-Container -RootFs $RootFs -Name neighbour -Network b -Command sleep, 120 | Start-Container
        Invoke-ContainerFetch client "http://$($web.IPAddress)/" | Should -BeNullOrEmpty -Because 'networks are isolated, as Docker''s'
        Invoke-ContainerFetch client "http://$($a.Gateway):$port/" | Should -Be 'hello from a container' -Because 'a published port is reached through the host''s address (hairpin)'
        Invoke-ContainerFetch neighbour "http://$($web.IPAddress)/" | Should -Be 'hello from a container' -Because 'containers of one network reach each other'
        # Nor from the LAN by its address (Docker 28 drops that too); the published port is for everyone.
        $lan = New-Neighbour -Route 10.0.0.0/8
        Invoke-NeighbourFetch $lan.Namespace "http://$($web.IPAddress)/" | Should -BeNullOrEmpty -Because 'a LAN neighbour routes the container''s subnet to the host'
        Invoke-NeighbourFetch $lan.Namespace "http://$($lan.HostAddress):$port/" | Should -Be 'hello from a container'
    }

    It 'lets an internal network''s containers reach each other and nothing else, even over a route they add' {
        $sealed = New-ContainerNetwork -Name sealed -Internal
        New-ContainerNetwork -Name public | Out-Null
        $outside = New-WebContainer -Name outside -Network public
        $peer = New-WebContainer -Name peer -Network sealed
        # NET_ADMIN: the container sets itself a default route through the network's gateway address.
        New-Container -RootFs $RootFs -Name inside -Network sealed -CapAdd NET_ADMIN -Command sleep, 120 | Start-Container
        Invoke-ContainerCommand inside -Command ip, route, add, default, via, $sealed.Gateway 2>$null
        $hostAddress = New-TestAddress
        $port = Get-FreePort
        $server = Start-HostServer $hostAddress $port $Secret
        try {
            Invoke-ContainerFetch inside "http://$($peer.IPAddress)/" | Should -Be 'hello from a container'
            Invoke-ContainerFetch inside http://peer/ | Should -Be 'hello from a container'
            Invoke-ContainerFetch inside "http://$($outside.IPAddress)/" | Should -BeNullOrEmpty -Because 'an internal network''s traffic never leaves its bridge'
            Invoke-ContainerFetch inside "http://${hostAddress}:$port/" | Should -BeNullOrEmpty -Because 'nor reaches the host'
            $lan = New-Neighbour -Route 10.0.0.0/8
            Invoke-NeighbourFetch $lan.Namespace "http://$($peer.IPAddress)/" | Should -BeNullOrEmpty -Because 'and nothing enters it'
        }
        finally { $server | Stop-Process -Force }
        Assert-ConmanError { New-Container -RootFs $RootFs -Network sealed -Publish 80 -ErrorAction Stop } InvalidPortSpec InvalidArgument | Out-Null
    }
}

Describe 'Raw packets and router advertisements' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'gives containers no NET_RAW by default, so no raw frames (arping), while ping works; -CapAdd NET_RAW gives it back' {
        # iputils' ping, the ping of Debian's images, with its libraries: the host's, bound read-only.
        # It carries CAP_NET_RAW as a file capability, as it does in those images.
        (& getcap /usr/bin/ping) -join "`n" | Should -Match 'cap_net_raw[=+]ep'
        $ping = @{ Volume = '/usr/bin/ping:/usr/bin/ping:ro', '/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro', '/usr/lib64:/lib64:ro' }
        New-Container -RootFs $RootFs -Name plain @ping -Command sleep, 120 | Start-Container
        $gateway = (Get-Container plain).NetworkEndpoints[0].Gateway
        $capEff = (Invoke-ContainerCommand plain -Command grep, CapEff, /proc/self/status) -replace '^CapEff:\s*', ''
        [Convert]::ToUInt64($capEff, 16) -band (1 -shl 13) | Should -Be 0 -Because 'CAP_NET_RAW is bit 13'
        $arping = Invoke-ContainerCommand plain -Command arping, -c, 1, -w, 2, -I, eth0, $gateway 2>&1
        $LASTEXITCODE | Should -Not -Be 0 -Because 'a packet socket needs CAP_NET_RAW (ARP spoofing)'
        ($arping -join "`n") | Should -Match 'not permitted'
        Invoke-ContainerCommand plain -Command /usr/bin/ping, -c, 1, -W, 2, $gateway | Out-Null
        $LASTEXITCODE | Should -Be 0 -Because 'ping uses an ICMP datagram socket, which ping_group_range allows'
        New-Container -RootFs $RootFs -Name raw -CapAdd NET_RAW -Command sleep, 120 | Start-Container
        Invoke-ContainerCommand raw -Command arping, -c, 1, -w, 2, -I, eth0, $gateway | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'takes no router advertisement on an IPv4-only network, on any interface, and a server on [::] still answers' {
        New-ContainerNetwork -Name side | Out-Null
        New-Container -RootFs $RootFs -Name dual -Volume "${Www}:/www:ro" -Command httpd, -f, -p, '[::]:80', -h, /www | Start-Container
        Connect-ContainerNetwork side dual
        foreach ($interface in 'eth0', 'eth1') {
            Invoke-ContainerCommand dual -Command cat, "/proc/sys/net/ipv6/conf/$interface/disable_ipv6" | Should -Be '1' -Because "$interface's IPv6 is off"
            Invoke-ContainerCommand dual -Command ip, -6, addr, show, dev, $interface | Should -BeNullOrEmpty -Because 'no link-local address, no address from a router'
        }
        (Invoke-ContainerCommand dual -Command ip, -6, addr, show, dev, lo) -join "`n" | Should -Match 'inet6 ::1/128' -Because 'lo keeps ::1, as Docker keeps it'
        New-Container -RootFs $RootFs -Name client -Command sleep, 120 | Start-Container
        Invoke-ContainerFetch client "http://$((Get-Container dual).IPAddress)/" | Should -Be 'hello from a container'
    }
}

Describe 'Conman''s host rules' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'names a network''s bridge while the network is used, and not once it is removed' {
        $network = New-ContainerNetwork -Name ruled
        New-Container -RootFs $RootFs -Name user -Network ruled -Command sleep, 60 | Start-Container
        Get-HostRuleset | Should -Match ([regex]::Escape("`"$($network.Bridge)`""))
        (Get-HostRuleset) -split "`n" | Where-Object { $_ -match 'ip daddr 127\.0\.0\.0/8 drop' } | Should -Not -BeNullOrEmpty
        Remove-ContainerNetwork ruled -Force
        Get-HostRuleset | Should -Not -Match ([regex]::Escape($network.Bridge))
    }
}
