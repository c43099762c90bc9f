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

    /// <summary>Requests per minute per integration client (by API key) — a token bucket refilled every second.</summary>
    [Range(1, int.MaxValue)]
    public int PerClientPerMinute { get; set; } = 1200;

    /// <summary>Requests per minute per IP address for everyone else (citizens, anonymous tracking, staff).</summary>
    [Range(1, int.MaxValue)]
    public int PerIpPerMinute { get; set; } = 600;

    /// <summary>Largest request body in bytes (uploads have their own limit; the beneficiary import its own, larger one).</summary>
    [Range(typeof(long), "1024", "4294967296")]
    public long MaxRequestBytes { get; set; } = 12 * 1024 * 1024;
}

/// <summary>
/// What protects the service at its edge: security headers on every response, CORS for the citizen web app's origins
/// only, a request size limit, and rate limiting — per integration client (its API key's client id) and per IP
/// address for everyone else — answering 429 with Retry-After and a problem document.
/// </summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "citizen-web-app";

    public static IServiceCollection AddEdgeProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EdgeOptions>(EdgeOptions.Section);
        var options = Settings.Settings.Read<EdgeOptions>(configuration, EdgeOptions.Section);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        services.AddCors(c => c.AddPolicy(CorsPolicy, p =>
        {
            if (options.CorsOrigins.Length > 0)
                p.WithOrigins(options.CorsOrigins).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "DELETE")
                    .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed", "Content-Language");
        }));
        services.AddRateLimiter(r =>
        {
            r.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var key = http.Request.Headers[ApiKey.Header].ToString();
                var clientKeyId = key.Length > 0 ? ApiKey.KeyIdOf(key) : null;
                var (partition, perMinute) = clientKeyId is not null
                    ? ("client:" + clientKeyId, options.PerClientPerMinute)
                    : ("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local"), options.PerIpPerMinute);
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = Math.Max(1, perMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, type: Problems.ProblemException.TypeBase + "rate-limited", title: "Quá nhiều yêu cầu",
                    detail: "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau số giây ghi trong Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    public static WebApplication UseEdgeProtection(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // The API answers JSON only; the two HTML pages (Swagger UI, /reports) set their own policy.
            if (!http.Request.Path.StartsWithSegments("/swagger") && !http.Request.Path.StartsWithSegments("/reports"))
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            await next(http);
        });
        app.UseCors(CorsPolicy);
        app.UseRateLimiter();
        return app;
    }
}
