using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;

namespace OneStopWindow.Api.Features.Integration;

public static class ClientEndpoints
{
    public static IEndpointRouteBuilder MapClients(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clients").WithTags("Integration clients").RequireAuthorization(Policies.Administrator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async (RegisterClientRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(new RegisterClient(request, Caller.From(http.User)), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/clients/{issued.Client.Id}", issued);
            })
            .WithName("RegisterClient").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "Ngân hàng Chính sách xã hội — chi nhánh Phú Thọ",
                ["scopes"] = new System.Text.Json.Nodes.JsonArray("events:read", "dossiers:read", "webhooks:manage"),
                ["procedures"] = new System.Text.Json.Nodes.JsonArray("TD-01"),
                ["wards"] = null,
            })
            .WithSummary("Register an integration client and issue its first API key")
            .WithDescription($"Administrators only. The key (`apiKey`) is shown in this response only and stored as a SHA-256 hash; " +
                $"the client sends it in the `{ApiKey.Header}` header. Scopes and the optional procedure/ward restrictions are enforced on every request.")
            .ProducesValidationProblem();

        group.MapGet("/", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new ListClients(), ct)))
            .WithName("ListClients")
            .WithSummary("Integration clients with their keys (ids and validity only)")
            .WithDescription("Administrators only.");

        group.MapPost("/{clientId:guid}/keys", async (Guid clientId, RotateClientKeyRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var issued = await mediator.Send(new RotateClientKey(clientId, request), ct);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/v1/clients/{clientId}", issued);
            })
            .WithName("RotateClientKey").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject { ["overlapHours"] = 24 })
            .WithSummary("Rotate: issue a new key; the current keys expire after the overlap")
            .WithDescription("Administrators only. The new key is shown once. Current keys stay valid for `overlapHours` (default 24) " +
                "so the client can switch without an outage; revoke a key to end it at once.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{clientId:guid}/keys/{keyId}", async (Guid clientId, string keyId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RevokeClientKey(clientId, keyId), ct)))
            .WithName("RevokeClientKey")
            .WithSummary("Revoke one key at once")
            .WithDescription("Administrators only. Requests with that key answer 401 from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{clientId:guid}", async (Guid clientId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RevokeClient(clientId), ct)))
            .WithName("RevokeClient")
            .WithSummary("Revoke a client: all its keys stop working, its webhooks stop")
            .WithDescription("Administrators only. The client's record, dossiers and delivery history are kept.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
