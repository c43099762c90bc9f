using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Integration.Webhooks;

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Integration")
            .RequireAuthorization(Policies.ClientScope(Scopes.ManageWebhooks))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async (CreateWebhookRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new CreateWebhook(request, Caller.From(http.User)), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
            })
            .WithName("CreateWebhook").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["url"] = "https://ketnoi.phutho.gov.vn/motcua/webhooks",
                ["eventTypes"] = new System.Text.Json.Nodes.JsonArray("RoutedToWard", "Approved", "Rejected", "ResultReturned"),
            })
            .WithSummary("Subscribe a URL to dossier events")
            .WithDescription($"""
                API key with scope `{Scopes.ManageWebhooks}`. Each event the client may see (its procedures and wards) and whose type
                is subscribed is POSTed to the URL as JSON, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
                `webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`) with the `secret` shown once in this response.
                At least once, in order per dossier, retried with backoff and dead-lettered after the retry budget (see the README).
                Only events after the subscription was made are delivered; read `GetEvents` for history.
                SSRF rules: http(s) only; the host may not be or resolve to loopback, private, link-local or other special
                addresses (unless configured in `Webhooks:AllowedNetworks`); redirects are never followed.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListWebhooks(Caller.From(http.User)), ct)))
            .WithName("ListWebhooks")
            .WithSummary("The client's webhook subscriptions")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`; a client sees only its own subscriptions.");

        group.MapDelete("/{webhookId:guid}", async (Guid webhookId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new DeleteWebhook(webhookId, Caller.From(http.User)), ct)))
            .WithName("DeleteWebhook")
            .WithSummary("Stop a subscription")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`, own subscriptions only (another client's: 404).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{webhookId:guid}/deliveries", async (Guid webhookId, string? status, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDeliveries(webhookId, Caller.From(http.User), status, limit), ct)))
            .WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries of a subscription, newest first; `status=dead` lists the dead letters")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`, own subscriptions only.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{webhookId:guid}/deliveries/{deliveryId:guid}/redeliver", async (Guid webhookId, Guid deliveryId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/webhooks/{webhookId}/deliveries", await mediator.Send(new Redeliver(webhookId, deliveryId, Caller.From(http.User)), ct)))
            .WithName("RedeliverWebhook")
            .WithSummary("Send a dead-lettered (or delivered) event again")
            .WithDescription($"API key with scope `{Scopes.ManageWebhooks}`. The delivery keeps its id (`webhook-id`), so a receiver that already has it can ignore it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
