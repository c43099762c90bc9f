using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

/// <param name="Url">Where to POST events: http(s), reachable on a public network (see the SSRF rules in the description).</param>
/// <param name="EventTypes">Event types to receive (e.g. `RoutedToWard`, `Approved`), or `["*"]` for all.</param>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? EventTypes);

/// <summary>The signing secret (Standard Webhooks format, `whsec_` + base64) is shown here once.</summary>
public sealed record WebhookCreatedResponse(WebhookResponse Webhook, string Secret);

public sealed partial record CreateWebhook(CreateWebhookRequest Request, Caller Caller) : ICommand<WebhookCreatedResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Request.Url is null) yield return new("url", "Vui lòng nhập địa chỉ nhận sự kiện.");
        if (Request.EventTypes is not { Count: > 0 and <= 50 } || Request.EventTypes.Any(t => t is null || !TypeFormat().IsMatch(t))
            || string.Join(' ', Request.EventTypes).Length > 2000)
            yield return new("eventTypes", "Chọn 1–50 loại sự kiện (ví dụ 'RoutedToWard', 'Approved') hoặc '*' cho tất cả.");
    }

    [GeneratedRegex("^(\\*|[A-Za-z]{1,64})$")]
    private static partial Regex TypeFormat();
}

public sealed class CreateWebhookHandler(Db db, OutboundGuard guard, Microsoft.Extensions.Options.IOptions<WebhookOptions> options, TimeProvider clock)
    : ICommandHandler<CreateWebhook, WebhookCreatedResponse>
{
    public async ValueTask<WebhookCreatedResponse> Handle(CreateWebhook cmd, CancellationToken ct)
    {
        if (await guard.CheckAsync(cmd.Request.Url, ct) is { } refusal) throw ProblemException.Validation([new("url", refusal)]);
        var client = cmd.Caller.Client!;
        if (await db.SingleOrDefaultAsync<long>(Sql.CountActive, new { ClientId = client.Id }, ct) >= options.Value.MaxSubscriptionsPerClient)
            throw ProblemException.Conflict("too-many-webhooks", "Đã đạt số đăng ký tối đa",
                $"Mỗi hệ thống có tối đa {options.Value.MaxSubscriptionsPerClient} đăng ký webhook.");
        var id = Guid.CreateVersion7();
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var types = cmd.Request.EventTypes!.Contains("*") ? "*" : string.Join(' ', cmd.Request.EventTypes!.Distinct().Order());
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Insert, new { Id = id, ClientId = client.Id, Url = cmd.Request.Url, Types = types, Secret = secret, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
        return new(await WebhookStatements.LoadAsync(db, id, client.Id, ct), secret);
    }

    internal static class Sql
    {
        public const string CountActive = "SELECT COUNT(*) FROM webhook_subscription WHERE client_id = @ClientId AND deleted_at IS NULL";
        public const string Insert = """
            INSERT INTO webhook_subscription (id, client_id, url, event_types, secret, created_at, deleted_at, pump_claimed_at, paused_until)
            VALUES (@Id, @ClientId, @Url, @Types, @Secret, @Now, NULL, NULL, NULL)
            """;
    }
}
