using System.Net;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Integration;

/// <summary>The SSRF guard with names that resolve where an attacker wants (DNS is injected; connections are real).</summary>
public sealed class OutboundGuardTests
{
    private static Task<IPAddress[]> Dns(string host, CancellationToken _) => Task.FromResult(host switch
    {
        "internal.example" => new[] { IPAddress.Parse("10.0.0.7") },
        "metadata.example" => [IPAddress.Parse("169.254.169.254")],
        "mixed.example" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("192.168.0.10")],
        "v6.example" => [IPAddress.Parse("fd12::1")],
        "rebind.example" => [IPAddress.Loopback],
        "translated.example" => [IPAddress.Parse("::ffff:0:127.0.0.1")],
        "public.example" => [IPAddress.Parse("93.184.216.34")],
        _ => throw new System.Net.Sockets.SocketException(11001),
    });

    [Theory]
    [InlineData("http://internal.example/hook")]
    [InlineData("http://metadata.example/")]
    [InlineData("http://mixed.example/hook")]
    [InlineData("https://v6.example/hook")]
    [InlineData("http://unknown.example/hook")]
    public async Task Names_resolving_to_forbidden_networks_are_refused(string url)
    {
        var guard = new OutboundGuard([], Dns);
        Assert.NotNull(await guard.CheckAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task A_public_name_is_accepted_and_the_allow_list_opens_a_private_network()
    {
        Assert.Null(await new OutboundGuard([], Dns).CheckAsync("https://public.example/hook", CancellationToken.None));
        Assert.Null(await new OutboundGuard(["10.0.0.0/24"], Dns).CheckAsync("http://internal.example/hook", CancellationToken.None));
        Assert.NotNull(await new OutboundGuard(["10.0.1.0/24"], Dns).CheckAsync("http://internal.example/hook", CancellationToken.None));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_at_connection_time_is_not_connected_to()
    {
        await using var server = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 200; return Task.CompletedTask; });
        var guard = new OutboundGuard([], Dns);
        using var client = new HttpClient(guard.CreateHandler());
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://rebind.example:{server.BaseAddress.Port}/"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.BaseAddress));
        Assert.Empty(server.Snapshot());

        using var allowed = new HttpClient(new OutboundGuard(["127.0.0.1/32"], Dns).CreateHandler());
        Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync($"http://rebind.example:{server.BaseAddress.Port}/")).StatusCode);
    }

    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    [InlineData("::ffff:93.184.216.34", true)]          // IPv4-mapped: judged as the IPv4 address
    [InlineData("3fff:0:64:5db8:d8:2200::", true)]      // no NAT64 prefix configured: an ordinary IPv6 address
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.7", false)]
    [InlineData("::127.0.0.1", false)]                  // IPv4-compatible (deprecated): the whole ::/96 is refused
    [InlineData("::93.184.216.34", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:0:127.0.0.1", false)]           // IPv4-translated: the whole ::ffff:0:0:0/96 is refused
    [InlineData("::ffff:0:93.184.216.34", false)]
    [InlineData("64:ff9b::127.0.0.1", false)]           // NAT64 well-known prefix
    [InlineData("64:ff9b::93.184.216.34", false)]
    [InlineData("64:ff9b:1:a00:7::", false)]            // NAT64 local-use prefix
    [InlineData("2002:7f00:1::1", false)]               // 6to4 of 127.0.0.1
    [InlineData("2002:5db8:d822::1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", false)]   // Teredo, client 127.0.0.1 (inverted bits)
    public void Addresses_are_judged_by_the_ipv4_address_they_carry(string address, bool allowed)
    {
        Assert.Equal(allowed, new OutboundGuard([]).IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowing_127_0_0_1_opens_it_and_its_mapped_spelling_but_no_other_form_that_carries_it()
    {
        var guard = new OutboundGuard(["127.0.0.1/32"]);
        Assert.True(guard.IsAllowed(IPAddress.Loopback));
        Assert.True(guard.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        foreach (var form in new[] { "::127.0.0.1", "::ffff:0:127.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b:1::7f00:1", "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe" })
            Assert.False(guard.IsAllowed(IPAddress.Parse(form)), form);
    }

    [Theory]
    [InlineData("::ffff:10.0.0.7", "10.0.0.7")]
    [InlineData("::10.0.0.7", "10.0.0.7")]
    [InlineData("::ffff:0:10.0.0.7", "10.0.0.7")]
    [InlineData("64:ff9b::192.0.2.45", "192.0.2.45")]
    [InlineData("2002:c000:22d::1", "192.0.2.45")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "65.54.227.120 192.0.2.45")]   // RFC 4380's example: server, then client
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", "")]
    public void Every_form_that_carries_an_ipv4_address_is_decoded(string address, string expected)
    {
        var found = new OutboundGuard([]).EmbeddedIPv4(IPAddress.Parse(address));
        Assert.Equal(expected, string.Join(' ', found));
    }

    [Fact]
    public void Under_the_local_use_nat64_prefix_every_position_the_operator_may_choose_is_read()
    {
        Assert.Contains(IPAddress.Parse("192.0.2.45"), new OutboundGuard([]).EmbeddedIPv4(IPAddress.Parse("64:ff9b:1::c000:22d")));
        Assert.Contains(IPAddress.Parse("192.0.2.45"), new OutboundGuard([]).EmbeddedIPv4(IPAddress.Parse("64:ff9b:1:c000:2:2d00::")));
    }

    [Theory]
    [InlineData("3fff:0:64::/48", "3fff:0:64:5db8:d8:2200::", true)]   // 93.184.216.34 behind the operator's /48 (bits 64–71 skipped)
    [InlineData("3fff:0:64::/48", "3fff:0:64:a00:0:700::", false)]     // 10.0.0.7
    [InlineData("64:ff9b::/96", "64:ff9b::93.184.216.34", true)]        // the well-known prefix, when the network uses it
    [InlineData("64:ff9b::/96", "64:ff9b::10.0.0.7", false)]
    [InlineData("2001:db8:64::/96", "2001:db8:64::7f00:1", true)]       // 127.0.0.1, open in this guard's allow-list
    public void Behind_an_operator_nat64_prefix_the_ipv4_address_decides(string prefix, string address, bool allowed)
    {
        var guard = new OutboundGuard(["127.0.0.1/32"], nat64Prefixes: [prefix]);
        Assert.Equal(allowed, guard.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("3fff:0:64::/50")]
    [InlineData("10.0.0.0/8")]
    [InlineData("not a prefix")]
    public void A_nat64_prefix_has_an_rfc_6052_length(string prefix) =>
        Assert.Throws<ArgumentException>(() => new OutboundGuard([], nat64Prefixes: [prefix]));

    [Theory]
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[::ffff:0:127.0.0.1]/hook")]
    [InlineData("http://[2002:7f00:1::1]/hook")]
    [InlineData("http://translated.example/hook")]
    public async Task Urls_carrying_loopback_in_an_ipv6_address_are_refused_at_registration_and_at_connection(string url)
    {
        var guard = new OutboundGuard(["127.0.0.1/32"], Dns);
        Assert.Equal(OutboundGuard.NotAllowed, await guard.CheckAsync(url, CancellationToken.None));
        using var client = new HttpClient(guard.CreateHandler());
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
        Assert.IsType<AddressNotAllowedException>(refused.InnerException);
    }

    [Fact]
    public async Task A_refusal_does_not_say_which_address_the_name_resolved_to()
    {
        var guard = new OutboundGuard([], Dns);
        foreach (var (url, address) in new[] { ("http://internal.example/hook", "10.0.0.7"), ("http://metadata.example/", "169.254.169.254"), ("https://v6.example/hook", "fd12::1") })
        {
            var refusal = await guard.CheckAsync(url, CancellationToken.None);
            Assert.Equal(OutboundGuard.NotAllowed, refusal);
            Assert.DoesNotContain(address, refusal, StringComparison.Ordinal);
        }
    }
}
