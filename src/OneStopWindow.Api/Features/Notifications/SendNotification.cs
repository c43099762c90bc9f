using System.Net.Http.Json;
using System.Net.Mail;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OneStopWindow.Api.Features.Notifications;

public sealed record SendNotification(Guid NotificationId) : ICommand<bool>;

/// <summary>
/// Sends one queued notification through its channel and marks it sent. The in-app channel is the
/// dossier's inbox (GET /dossiers/{code}/notifications): delivery is the row itself. Sending is
/// idempotent per row: a sent notification is not sent again; a failure throws so the step retries.
/// </summary>
public sealed class SendNotificationHandler(Db db, TimeProvider clock, SmsGateway sms, EmailSender email) : ICommandHandler<SendNotification, bool>
{
    public async ValueTask<bool> Handle(SendNotification cmd, CancellationToken ct)
    {
        var n = await db.SingleOrDefaultAsync<Row>(Sql.Load, new { Id = cmd.NotificationId }, ct);
        if (n is null || n.Status == "sent") return false;
        try
        {
            switch (n.Channel)
            {
                case NotificationQueue.Sms: await sms.SendAsync(n.ApplicantPhone, n.Body, n.Id, ct); break;
                case NotificationQueue.Email when n.ApplicantEmail is not null: await email.SendAsync(n.ApplicantEmail, n.Subject, n.Body, ct); break;
            }
        }
        catch (Exception e) when (e is HttpRequestException or SmtpException or BrokenCircuitException or TimeoutRejectedException)
        {
            await using var failed = await db.BeginWriteAsync(ct);
            await failed.ExecuteAsync(Sql.MarkFailed, new { n.Id, Error = e.GetType().Name });
            await failed.CommitAsync();
            throw;
        }
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.MarkSent, new { n.Id, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return true;
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public string ApplicantPhone { get; init; } = "";
        public string? ApplicantEmail { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT n.id, n.channel, n.status, n.subject, n.body, d.applicant_phone, d.applicant_email
            FROM notification n JOIN dossier d ON d.id = n.dossier_id
            WHERE n.id = @Id
            """;
        public const string MarkSent = "UPDATE notification SET status = 'sent', sent_at = @Now, attempts = attempts + 1 WHERE id = @Id";
        public const string MarkFailed = "UPDATE notification SET attempts = attempts + 1, last_error = @Error WHERE id = @Id";
    }
}

/// <summary>
/// The SMS gateway over HTTP: POST {to, text, reference} with the API key in a header, behind a Polly
/// pipeline (timeout, jittered retries, circuit breaker). The reference is the notification id, so the
/// gateway can drop the duplicates that retries may cause.
/// </summary>
public sealed class SmsGateway(HttpClient http, IOptions<NotificationOptions> options, [FromKeyedServices(SmsGateway.Pipeline)] ResiliencePipeline pipeline)
{
    public const string Pipeline = "sms-gateway";

    // Vietnamese text as UTF-8, not \u escapes: the body is JSON for a machine, never HTML.
    private static readonly System.Text.Json.JsonSerializerOptions GatewayJson =
        new(System.Text.Json.JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task SendAsync(string phone, string text, Guid reference, CancellationToken ct)
    {
        var url = options.Value.SmsGatewayUrl ?? throw new InvalidOperationException("Notifications:SmsGatewayUrl is not set.");
        await pipeline.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(new { to = phone, text, reference = reference.ToString("N") }, options: GatewayJson),
            };
            if (options.Value.SmsGatewayApiKey is { } key) request.Headers.Add("X-Api-Key", key);
            request.Headers.Add("Idempotency-Key", reference.ToString("N"));
            using var response = await http.SendAsync(request, token);
            response.EnsureSuccessStatusCode();
        }, ct);
    }

    private static readonly PredicateBuilder Transient =
        (PredicateBuilder)new PredicateBuilder().Handle<HttpRequestException>().Handle<SmtpException>().Handle<TimeoutRejectedException>();

    /// <summary>Timeout, jittered retries and a circuit breaker for one outbound channel (each channel gets its own instance).</summary>
    public static ResiliencePipeline Build(NotificationOptions options) => new ResiliencePipelineBuilder()
        .AddTimeout(options.SendTimeout * 3)
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = Transient,
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = Transient,
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(30),
        })
        .AddTimeout(options.SendTimeout)
        .Build();
}

/// <summary>SMTP e-mail (System.Net.Mail), behind a pipeline of its own: an SMS outage must not open e-mail's circuit.</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options, [FromKeyedServices(EmailSender.Pipeline)] ResiliencePipeline pipeline)
{
    public const string Pipeline = "smtp";

    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        await pipeline.ExecuteAsync(async token =>
        {
            using var client = new SmtpClient(o.SmtpHost, o.SmtpPort) { EnableSsl = o.SmtpPort != 25 };
            using var message = new MailMessage(o.SmtpFrom, to, subject, body);
            await client.SendMailAsync(message, token);
        }, ct);
    }
}
