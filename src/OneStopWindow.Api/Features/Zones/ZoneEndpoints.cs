using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Zones;

public static class ZoneEndpoints
{
    public static IEndpointRouteBuilder MapZones(this IEndpointRouteBuilder app)
    {
        var atRiskWorkingDays = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Calendar.SlaOptions>>().Value.AtRiskWorkingDays;
        app.MapGet("/api/v1/zones", async (bool? history, string? ward, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListWardZones(history == true, ward), ct)))
            .WithTags("Zones and priority").RequireAuthorization(Policies.Staff)
            .WithName("ListWardZones")
            .WithSummary("Zone and ethnic-minority region level of every ward/commune (current, or with history)")
            .WithDescription($"Staff. Seeded with a documented first approximation (README, 'Zones'); every value names its source. {Priority.Describe(atRiskWorkingDays)}")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        app.MapPut("/api/v1/zones/{wardCode}", async (string wardCode, SetWardZoneRequest request, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new SetWardZone(wardCode, request, Caller.From(http.User)), ct)))
            .WithTags("Zones and priority").RequireAuthorization(Policies.Provincial)
            .WithName("SetWardZone").WithRequestExample(() => new System.Text.Json.Nodes.JsonObject
            {
                ["zone"] = "mountainous",
                ["ethnicRegion"] = "III",
                ["population"] = 12450,
                ["source"] = "Quyết định phê duyệt danh sách xã khu vực III giai đoạn 2026–2030 (số, ngày ban hành) — ví dụ cho Xã Đà Bắc",
                ["validFrom"] = null,
            })
            .WithSummary("Record a ward's classification (the previous one is kept in the history)")
            .WithDescription("Provincial officers and administrators. The source (decision number and date) is required.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
