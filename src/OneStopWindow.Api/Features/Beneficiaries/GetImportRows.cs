using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

/// <param name="Outcome">`mapped`, `reverification`, `rejected` or `unchanged` (already imported).</param>
public sealed record ImportRowResponse(int RowNumber, string Outcome, string? Reason, Guid? BeneficiaryId);

public sealed record ImportRowPageResponse(IReadOnlyList<ImportRowResponse> Rows, int? NextAfter);

public sealed record GetImportRows(Guid Id, string? Outcome, int? After, int? Limit) : IQuery<ImportRowPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Outcome is not (null or "mapped" or "reverification" or "rejected" or "unchanged"))
            yield return new("outcome", "Kết quả là 'mapped', 'reverification', 'rejected' hoặc 'unchanged'.");
        if (Limit is < 1 or > 1000) yield return new("limit", "Số dòng mỗi trang từ 1 đến 1000.");
    }
}

public sealed class GetImportRowsHandler(Db db, IOptions<ImportOptions> options, IHostEnvironment environment) : IQueryHandler<GetImportRows, ImportRowPageResponse>
{
    public async ValueTask<ImportRowPageResponse> Handle(GetImportRows query, CancellationToken ct)
    {
        await ImportStatements.LoadAsync(db, environment, options, query.Id, null, ct);
        var limit = query.Limit ?? 200;
        var rows = await db.QueryAsync<RowRecord>(db.Dialect.Limit(Sql.Rows), new { query.Id, query.Outcome, After = query.After ?? 0, Limit = limit + 1 }, ct);
        var page = rows.Take(limit).Select(r => new ImportRowResponse(r.RowNumber, r.Outcome, r.Reason, r.BeneficiaryId)).ToList();
        return new(page, rows.Count > limit ? page[^1].RowNumber : null);
    }

    private sealed record RowRecord
    {
        public int RowNumber { get; init; }
        public string Outcome { get; init; } = "";
        public string? Reason { get; init; }
        public Guid? BeneficiaryId { get; init; }
    }

    internal static class Sql
    {
        public const string Rows = """
            SELECT row_number, outcome, reason, beneficiary_id FROM import_row
            WHERE import_id = @Id AND row_number > @After AND (@Outcome IS NULL OR outcome = @Outcome)
            ORDER BY row_number
            """;
    }
}
