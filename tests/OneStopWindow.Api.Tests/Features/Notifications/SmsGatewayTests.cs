using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Notifications;

/// <summary>The SMS channel against a real HTTP gateway on 127.0.0.1 that fails before it recovers.</summary>
public sealed class SmsGatewayTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string? Key, string Body)> received = new();
    private int failuresLeft = 2;
    private WebApplication? gateway;
    private string url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        gateway = builder.Build();
        gateway.MapPost("/sms", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            received.Enqueue((http.Request.Headers["Idempotency-Key"].ToString(), await reader.ReadToEndAsync()));
            return Interlocked.Decrement(ref failuresLeft) >= 0 ? Results.StatusCode(503) : Results.Ok();
        });
        await gateway.StartAsync();
        url = gateway.Urls.Single() + "/sms";
    }

    [Fact]
    public async Task A_failing_gateway_is_retried_with_the_same_idempotency_key_until_it_accepts()
    {
        var options = new NotificationOptions { SmsGatewayUrl = url, SmsGatewayApiKey = "test-key", SendTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient();
        var sms = new SmsGateway(http, Options.Create(options), SmsGateway.Build(options));
        var reference = Guid.CreateVersion7();

        await sms.SendAsync("+84912345678", "Hồ sơ 25-261129-0001 đã được tiếp nhận", reference, CancellationToken.None);

        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.Equal(reference.ToString("N"), r.Key));
        Assert.Contains("+84912345678", received.Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_that_stays_down_fails_the_send_so_the_step_retries_later()
    {
        failuresLeft = int.MaxValue;
        var options = new NotificationOptions { SmsGatewayUrl = url, SendTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient();
        var sms = new SmsGateway(http, Options.Create(options), SmsGateway.Build(options));

        await Assert.ThrowsAsync<HttpRequestException>(() => sms.SendAsync("+84912345678", "x", Guid.CreateVersion7(), CancellationToken.None));
        Assert.Equal(4, received.Count);   // first try + 3 retries
    }

    [Fact]
    public async Task A_redirect_fails_the_send_and_the_key_goes_nowhere_else()
    {
        await using var elsewhere = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var redirecting = await LocalServer.StartAsync((_, http) =>
        {
            http.Response.StatusCode = 302;
            http.Response.Headers.Location = new Uri(elsewhere.BaseAddress, "sms").ToString();
            return Task.CompletedTask;
        });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:SmsGatewayUrl"] = new Uri(redirecting.BaseAddress, "sms").ToString(),
            ["Notifications:SmsGatewayApiKey"] = "sms-gateway-key",
            ["Notifications:SendTimeout"] = "00:00:05",
        }).Build();
        // The client as the service registers it.
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddNotifications(configuration).BuildServiceProvider();
        var sms = services.GetRequiredService<SmsGateway>();

        await Assert.ThrowsAsync<HttpRequestException>(() => sms.SendAsync("+84912345678", "x", Guid.CreateVersion7(), CancellationToken.None));
        Assert.NotEmpty(redirecting.Snapshot());
        Assert.All(redirecting.Snapshot(), h => Assert.Equal("sms-gateway-key", h.Headers["x-api-key"]));
        Assert.Empty(elsewhere.Snapshot());
    }

    public async Task DisposeAsync()
    {
        if (gateway is not null) await gateway.DisposeAsync();
    }
}
