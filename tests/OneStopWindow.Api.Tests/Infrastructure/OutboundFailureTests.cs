using System.Net;
using System.Net.Sockets;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>Failed outbound calls are named by class only, from real failures against 127.0.0.1 (DNS is injected).</summary>
public sealed class OutboundFailureTests
{
    private static Task<IPAddress[]> Dns(string host, CancellationToken _) => host switch
    {
        "local.example" => Task.FromResult(new[] { IPAddress.Loopback }),
        "internal.example" => Task.FromResult(new[] { IPAddress.Parse("10.0.0.7") }),
        _ => throw new SocketException((int)SocketError.HostNotFound),
    };

    private static async Task<string> FailureOfAsync(string url, TimeSpan? timeout = null)
    {
        using var client = new HttpClient(new OutboundGuard(["127.0.0.1/32"], Dns).CreateHandler()) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(url));
        return OutboundFailure.Of(failure);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Each_kind_of_failure_has_its_class()
    {
        await using var plain = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var slow = await LocalServer.StartAsync(async (_, http) => await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted).ContinueWith(_ => { }));

        Assert.Equal("connection-refused", await FailureOfAsync($"http://local.example:{ClosedPort()}/"));
        Assert.Equal("address-not-allowed", await FailureOfAsync("http://internal.example/"));
        Assert.Equal("dns", await FailureOfAsync("http://unknown.example/"));
        Assert.Equal("tls", await FailureOfAsync($"https://local.example:{plain.BaseAddress.Port}/"));   // TLS to a plain HTTP server
        Assert.Equal("timeout", await FailureOfAsync($"http://local.example:{slow.BaseAddress.Port}/", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("http-503", OutboundFailure.Of(HttpStatusCode.ServiceUnavailable));
        Assert.Equal("error", OutboundFailure.Of(new InvalidOperationException("Connection to 10.0.0.7:8080 went wrong")));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("http-500", "http-500")]
    [InlineData("connection-refused", "connection-refused")]
    [InlineData("Connection failed: Connection refused (10.0.0.7:8080)", "error")]   // text stored before failures were classified
    [InlineData("HTTP 500", "error")]
    public void Only_a_class_is_ever_shown(string? stored, string? shown) => Assert.Equal(shown, OutboundFailure.Shown(stored));
}
