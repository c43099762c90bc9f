using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record BeneficiaryEventResponse(string Kind, string Actor, string ActorRole, DateTimeOffset OccurredAt, string? Note);

/// <param name="Entitlement">`continues` (paid, also while re-verified), `held-duplicate` (another record of the person pays), `merged`.</param>
public sealed record BeneficiaryResponse(Guid Id, string SourceSystem, string SourceRecordId, string IdNumber, string FullName, DateOnly BirthDate,
    string OldCommuneCode, string? AddressDetail, string? WardCode, string BenefitCode, string? BeneficiaryGroup, long MonthlyAmountVnd,
    string StartMonth, string? DecisionNumber, string Entitlement, Guid? MergedInto, Guid ImportId, IReadOnlyList<BeneficiaryEventResponse> Timeline);

public sealed record GetBeneficiary(Guid Id, Caller Caller) : IQuery<BeneficiaryResponse>;

/// <summary>An imported beneficiary with its timeline. Provincial officers, or staff of the ward it belongs to; others get 404.</summary>
public sealed class GetBeneficiaryHandler(Db db, Infrastructure.AccessLog.AccessRecorder accessLog, PersonalData personalData) : IQueryHandler<GetBeneficiary, BeneficiaryResponse>
{
    public async ValueTask<BeneficiaryResponse> Handle(GetBeneficiary query, CancellationToken ct)
    {
        var b = await db.SingleOrDefaultAsync<Row>(Sql.One, new { query.Id }, ct);
        var c = query.Caller;
        if (b is null || !c.ServesWard(b.WardCode))
            throw ProblemException.NotFound($"người hưởng {query.Id} (hoặc bạn không có quyền xem)");
        accessLog.Record(c, Infrastructure.AccessLog.AccessKinds.Beneficiary, "beneficiary", [b.Id]);
        var events = await db.QueryAsync<EventRow>(Sql.Events, new { query.Id }, ct);
        return new(b.Id, b.SourceSystem, b.SourceRecordId, personalData.Open(b.IdNumber), b.FullName, b.BirthDate, b.OldCommuneCode, b.AddressDetail, b.WardCode,
            b.BenefitCode, b.BeneficiaryGroup, b.MonthlyAmountVnd, b.StartMonth, b.DecisionNumber, b.Entitlement, b.MergedInto, b.ImportId,
            events.Select(e => new BeneficiaryEventResponse(e.Kind, e.Actor, e.ActorRole, e.OccurredAt, e.Note)).ToList());
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string SourceSystem { get; init; } = "";
        public string SourceRecordId { get; init; } = "";
        public Sealed IdNumber { get; init; } = new("");
        public string FullName { get; init; } = "";
        public DateOnly BirthDate { get; init; }
        public string OldCommuneCode { get; init; } = "";
        public string? AddressDetail { get; init; }
        public string? WardCode { get; init; }
        public string BenefitCode { get; init; } = "";
        public string? BeneficiaryGroup { get; init; }
        public long MonthlyAmountVnd { get; init; }
        public string StartMonth { get; init; } = "";
        public string? DecisionNumber { get; init; }
        public string Entitlement { get; init; } = "";
        public Guid? MergedInto { get; init; }
        public Guid ImportId { get; init; }
    }

    private sealed record EventRow
    {
        public string Kind { get; init; } = "";
        public string Actor { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string? Note { get; init; }
    }

    internal static class Sql
    {
        public const string One = """
            SELECT id, source_system, source_record_id, id_number, full_name, birth_date, old_commune_code, address_detail, ward_code, benefit_code,
                   beneficiary_group, monthly_amount_vnd, start_month, decision_number, entitlement, merged_into, import_id
            FROM beneficiary WHERE id = @Id
            """;
        public const string Events = """
            SELECT kind, actor, actor_role, occurred_at, note FROM beneficiary_event WHERE beneficiary_id = @Id ORDER BY occurred_at, id
            """;
    }
}

public static class BeneficiaryRecordEndpoints
{
    public static IEndpointRouteBuilder MapBeneficiaryRecords(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/beneficiaries/{id:guid}", async (Guid id, HttpContext http, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new GetBeneficiary(id, Caller.From(http.User)), ct)))
            .WithTags("Re-verification").RequireAuthorization(Policies.Staff)
            .WithName("GetBeneficiary")
            .WithSummary("An imported beneficiary: the record, its entitlement and its timeline of re-verification decisions")
            .WithDescription("Provincial officers, or staff of the ward the record belongs to; anyone else gets 404.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
