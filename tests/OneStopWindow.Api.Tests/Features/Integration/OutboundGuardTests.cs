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
}
