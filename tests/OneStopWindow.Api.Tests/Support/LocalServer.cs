using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, random port) standing in for an outside system — a webhook
/// subscriber or a registry gateway. The handler decides each answer; every request is recorded.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication app;

    public sealed record Hit(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

    private LocalServer(WebApplication app) => this.app = app;

    public List<Hit> Hits { get; } = [];

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LocalServer> StartAsync(Func<Hit, HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LocalServer(app);
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var hit = new Hit(http.Request.Method, http.Request.Path + http.Request.QueryString,
                http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), await reader.ReadToEndAsync(), DateTimeOffset.UtcNow);
            lock (server.Hits) server.Hits.Add(hit);
            await handler(hit, http);
        });
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public List<Hit> Snapshot()
    {
        lock (Hits) return [.. Hits];
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
