using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OneStopWindow.Api.Features.AdministrativeUnits;

public static class AdminUnitEndpoints
{
    public static IEndpointRouteBuilder MapAdminUnits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin-units").WithTags("Administrative units").AllowAnonymous();

        group.MapGet("/", List).WithName("ListAdminUnits")
            .WithSummary("List administrative units of one era")
            .WithDescription("Public: anyone may call. `era=current` (default): the 34 provinces and 3,321 commune-level units since 1 Jul 2025 (Phú Thọ is `25`). " +
                "`era=pre2025`: the 63 former provinces and the former districts and communes of old Phú Thọ, Vĩnh Phúc and Hòa Bình. " +
                "Keyset paging: pass `nextAfter` back as `after`.")
            .ProducesValidationProblem();

        group.MapGet("/{code}", Get).WithName("GetAdminUnit")
            .WithSummary("Get one unit with its successors or predecessors")
            .WithDescription("Public: anyone may call. A code is read in the era the request names (default `current`): " +
                "many codes named a different unit before 1 Jul 2025. " +
                "A pre-2025 unit lists the unit(s) it went into; a current unit lists the units it was formed from.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="era">`current` (default) or `pre2025`.</param>
    /// <param name="parent">Parent unit code in the same era (a province, or a former district).</param>
    /// <param name="type">`province`, `city`, `ward`, `commune`, `special_zone`; before 2025 also `district`, `town`, `urban_district`, `township`.</param>
    /// <param name="q">Text to look for in the code or name (accent-insensitive).</param>
    /// <param name="limit">Page size, 1–500 (default 100).</param>
    /// <param name="after">The `nextAfter` of the previous page.</param>
    private static async Task<Ok<AdminUnitPageResponse>> List(string? era, string? parent, string? type, string? q, int? limit, string? after,
        IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListAdminUnits(era, parent, type, q, limit, after), ct));

    /// <param name="code">Official unit code (leading zeros kept), e.g. `04795`.</param>
    /// <param name="era">`current` (default) or `pre2025`.</param>
    private static async Task<Ok<AdminUnitDetailResponse>> Get(string code, string? era, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetAdminUnit(code, era), ct));
}
