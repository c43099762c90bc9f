using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Procedures.BenefitRules;

/// <summary>One stored version of a procedure's benefit rules.</summary>
public sealed record BenefitRuleRow
{
    public Guid Id { get; init; }
    public string ProcedureCode { get; init; } = "";
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public string Parameters { get; init; } = "{}";
    public string LegalText { get; init; } = "";
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }

    public BenefitRuleSet ToRuleSet()
    {
        using var doc = JsonDocument.Parse(Parameters);
        return BenefitRuleSet.FromParameters(doc.RootElement, ValidFrom, ValidTo);
    }
}

/// <summary>Reads the dated rule versions (table <c>benefit_rule</c>): the one source of every amount.</summary>
public static class BenefitRuleStore
{
    public static async Task<IReadOnlyList<BenefitRuleRow>> VersionsAsync(Db db, string procedureCode, CancellationToken ct) =>
        await db.QueryAsync<BenefitRuleRow>(Sql.Versions, new { Code = procedureCode }, ct);

    public static async Task<Domain.Eligibility.BenefitRules> LoadAsync(Db db, string procedureCode, CancellationToken ct) =>
        new((await VersionsAsync(db, procedureCode, ct)).Select(r => r.ToRuleSet()).ToList());

    internal static class Sql
    {
        public const string Versions = """
            SELECT id, procedure_code, valid_from, valid_to, parameters, legal_text, recorded_by, recorded_at
            FROM benefit_rule WHERE procedure_code = @Code ORDER BY valid_from
            """;
    }
}
