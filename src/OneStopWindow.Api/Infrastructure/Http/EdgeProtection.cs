using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Infrastructure.Http;

public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Origins of the citizen web app allowed to call the API from a browser (CORS). Empty: no cross-origin calls.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Requests per minute per authenticated integration client — a token bucket refilled every second.</summary>
    [Range(1, int.MaxValue)]
    public int PerClientPerMinute { get; set; } = 1200;

    /// <summary>Requests per minute per signed-in person (by token subject): staff behind one ward office's address each have their own.</summary>
    [Range(1, int.MaxValue)]
    public int PerUserPerMinute { get; set; } = 600;

    /// <summary>Requests per minute per IP address for requests without valid credentials (anonymous tracking, bad keys).</summary>
    [Range(1, int.MaxValue)]
    public int PerIpPerMinute { get; set; } = 600;

    /// <summary>
    /// Networks of the reverse proxies (CIDR, e.g. <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.
    /// Empty (the default): the headers are ignored and the client address is the connection's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Largest request body in bytes (uploads have their own limit; the beneficiary import its own, larger one).</summary>
    [Range(typeof(long), "1024", "4294967296")]
    public long MaxRequestBytes { get; set; } = 12 * 1024 * 1024;
}

/// <summary>
/// What protects the service at its edge: security headers on every response, CORS for the citizen web app's origins
/// only, a request size limit, forwarded headers from the configured proxies only, and rate limiting after
/// authentication — per integration client, per signed-in person, and per IP address for requests without valid
/// credentials — answering 429 with Retry-After and a problem document. Every response carries <c>API-Version</c> (the
/// document's semantic version, NLGov ADR) and, once the caller is known, the caller's bucket: <c>RateLimit-Limit</c>
/// (requests per minute), <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (seconds until the bucket is full again),
/// after the IETF draft the OWASP API ruleset names.
/// </summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "citizen-web-app";

    /// <summary>The API's semantic version (info.version of the OpenAPI document; the major is the path's <c>v1</c>).</summary>
    public const string ApiVersion = "1.0.0";

    public const string ApiVersionHeader = "API-Version";
    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";

    /// <summary>The caller's bucket: an integration client, a signed-in person, or — without valid credentials — the address.</summary>
    private static (string Partition, int PerMinute) BucketOf(HttpContext http, EdgeOptions options)
    {
        var caller = Caller.From(http.User);
        return caller.Client is { } client ? ("client:" + client.Id, options.PerClientPerMinute)
            : http.User.Identity?.IsAuthenticated == true ? ("user:" + caller.Id, options.PerUserPerMinute)
            : ("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local"), options.PerIpPerMinute);
    }

    private static void WriteBucket(HttpResponse response, int perMinute, long remaining)
    {
        var perSecond = Math.Max(1, perMinute / 60);
        response.Headers[LimitHeader] = perMinute.ToString(CultureInfo.InvariantCulture);
        response.Headers[RemainingHeader] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers[ResetHeader] = ((perMinute - Math.Max(0, remaining) + perSecond - 1) / perSecond).ToString(CultureInfo.InvariantCulture);
    }

    public static IServiceCollection AddEdgeProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EdgeOptions>(EdgeOptions.Section);
        var options = Settings.Settings.Read<EdgeOptions>(configuration, EdgeOptions.Section);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        services.AddCors(c => c.AddPolicy(CorsPolicy, p =>
        {
            if (options.CorsOrigins.Length > 0)
                p.WithOrigins(options.CorsOrigins).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "DELETE")
                    .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed", "Content-Language", ApiVersionHeader,
                        LimitHeader, RemainingHeader, ResetHeader);
        }));
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("ASPNETCORE_FORWARDEDHEADERS_ENABLED trusts X-Forwarded-For from any sender; remove it and list the proxies' networks in Edge:TrustedProxies.");
        var proxies = options.TrustedProxies.Select(p => System.Net.IPNetwork.TryParse(p, out var n) ? n
            : throw new InvalidOperationException($"Edge:TrustedProxies: '{p}' is not a network in CIDR notation (e.g. 10.0.0.0/8).")).ToList();
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(f =>
        {
            f.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            f.KnownIPNetworks.Clear();   // not even loopback by default: only what is configured
            f.KnownProxies.Clear();
            foreach (var network in proxies) f.KnownIPNetworks.Add(network);
        });
        var limiter = CreateLimiter(options);
        services.AddRateLimiter(r =>
        {
            // Runs after authentication (see UseAuth), so a bucket belongs to who the caller proved to be: an integration
            // client, a signed-in person, or — without valid credentials — the address. A made-up key id is no one's.
            r.GlobalLimiter = limiter;
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                WriteBucket(context.HttpContext.Response, BucketOf(context.HttpContext, options).PerMinute, 0);
                await Results.Problem(statusCode: 429, type: Problems.ProblemException.TypeBase + "rate-limited", title: "Quá nhiều yêu cầu",
                    detail: "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau số giây ghi trong Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        services.AddSingleton(new EdgeLimiter(limiter, http => BucketOf(http, options).PerMinute));
        return services;
    }

    /// <summary>The rate limiter's instance, so the bucket's state can be told to the caller after the limiter let the request in.</summary>
    public sealed record EdgeLimiter(PartitionedRateLimiter<HttpContext> Limiter, Func<HttpContext, int> PerMinute);

    /// <summary>Right after <c>UseRateLimiter</c>: the caller's bucket as it stands with this request counted.</summary>
    public static WebApplication UseRateLimitHeaders(this WebApplication app)
    {
        var edge = app.Services.GetRequiredService<EdgeLimiter>();
        app.Use(async (http, next) =>
        {
            if (edge.Limiter.GetStatistics(http) is { } stats)
            {
                var (perMinute, remaining) = (edge.PerMinute(http), stats.CurrentAvailablePermits);
                http.Response.OnStarting(() =>
                {
                    WriteBucket(http.Response, perMinute, remaining);
                    return Task.CompletedTask;
                });
            }
            await next(http);
        });
        return app;
    }

    private static PartitionedRateLimiter<HttpContext> CreateLimiter(EdgeOptions options) =>
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var (partition, perMinute) = BucketOf(http, options);
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = Math.Max(1, perMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });

    public static WebApplication UseEdgeProtection(this WebApplication app)
    {
        // Only the configured proxies' headers (ASPNETCORE_FORWARDEDHEADERS_ENABLED would trust any sender's).
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EdgeOptions>>().Value.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        app.Use(async (http, next) =>
        {
            // Just before the headers go out: an error answered by the problem handler clears what was set earlier.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers[ApiVersionHeader] = ApiVersion;
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("X-Frame-Options", "DENY");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                headers.TryAdd("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                // The API answers JSON only; the two HTML pages (Swagger UI, /reports) set their own policy.
                if (!http.Request.Path.StartsWithSegments("/swagger") && !http.Request.Path.StartsWithSegments("/reports"))
                    headers.TryAdd("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
                return Task.CompletedTask;
            });
            await next(http);
        });
        app.UseCors(CorsPolicy);
        return app;
    }
}
