using System.ComponentModel.DataAnnotations;
using System.Net;
using OneStopWindow.Api.Infrastructure.Http;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>CIDR networks webhook URLs may reach although private or special (e.g. a receiver inside the province's network).</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>
    /// The NAT64 prefixes of the network the service runs on (RFC 6052 lengths: /32, /40, /48, /56, /64 or /96), e.g.
    /// <c>2001:db8:64::/96</c>. An address under one is judged as the IPv4 address it carries. Default: none.
    /// </summary>
    public string[] Nat64Prefixes { get; set; } = [];

    /// <summary>How often the worker turns new events into deliveries and hands due deliveries to Hangfire.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits between failed attempts of one delivery; after the last one it is dead-lettered. Empty: <see cref="DefaultRetryDelays"/>.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [];

    /// <summary>≈ 25 hours in 10 attempts.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(14),
    ];

    // Configuration binding appends to a non-empty default array, so the default lives apart.
    public IReadOnlyList<TimeSpan> Delays => RetryDelays.Length > 0 ? RetryDelays : DefaultRetryDelays;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries inside one attempt (jittered exponential backoff from <see cref="QuickRetryDelay"/>).</summary>
    [Range(0, 10)]
    public int QuickRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Circuit breaker per subscriber: open after this many failing calls (half of them failing) ...</summary>
    [Range(2, 1_000_000)]
    public int BreakerMinimumThroughput { get; set; } = 6;

    /// <summary>... for this long; no attempt is spent while it is open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A delivery job that has not finished after this long is presumed dead and its subscription handed out again. Must stay well
    /// above a job's run budget (25 s) plus one worst-case send (attempt timeout × quick retries).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 1000)]
    public int MaxSubscriptionsPerClient { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowedNetworks.Any(n => !IPNetwork.TryParse(n, out _)))
            yield return new("Each entry is a CIDR network, e.g. 10.25.0.0/16.", [nameof(AllowedNetworks)]);
        if (!Nat64Prefixes.All(OutboundGuard.IsNat64Prefix))
            yield return new("Each entry is an IPv6 prefix of length 32, 40, 48, 56, 64 or 96, e.g. 2001:db8:64::/96.", [nameof(Nat64Prefixes)]);
    }
}
