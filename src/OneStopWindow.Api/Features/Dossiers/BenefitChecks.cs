using System.Globalization;
using System.Text.Json;
using OneStopWindow.Api.Features.Procedures.BenefitRules;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Dossiers;

/// <summary>A decision of the rules with what it was made on: the claim and the beneficiary's name.</summary>
public sealed record BenefitCheck(BenefitDecision Decision, BenefitClaim? Claim, string BeneficiaryName);

/// <summary>
/// What the rules allow for a dossier, the same for the chair's decision and the officer's hint: the claim read from
/// the form (the beneficiary's age, every declared group, the pension received) and the person's other monthly
/// benefit — the imported register and their other granted dossiers — judged by the rules in force that month.
/// </summary>
public sealed class BenefitChecks(Db db, PersonalData personalData)
{
    /// <summary>The social allowance and the social pension: a person receives only the higher of the two (DOMAIN §10.1).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> OtherMonthly = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["BTXH-01"] = ["BTXH-05"],
        ["BTXH-02"] = ["BTXH-05"],
        ["BTXH-05"] = ["BTXH-01", "BTXH-02"],
    };

    /// <summary>Null for a procedure without benefit rules.</summary>
    /// <remarks>
    /// Reads committed data (the rules, the person's other benefits) outside the caller's transaction, so the officer's
    /// view can use it too. Two decisions for one person signed in the same instant (allowance and pension) could both
    /// pass the higher-of check; the register of the next issue is where that is settled for good.
    /// </remarks>
    public async Task<BenefitDecision?> CheckAsync(DossierRow row, DateOnly decisionDate, CancellationToken ct) =>
        (await CheckWithClaimAsync(row, decisionDate, ct))?.Decision;

    /// <summary>The decision with the claim it was made on and the beneficiary's name, for the register (issue 18); null as <see cref="CheckAsync"/>.</summary>
    public async Task<BenefitCheck?> CheckWithClaimAsync(DossierRow row, DateOnly decisionDate, CancellationToken ct)
    {
        var rules = await BenefitRuleStore.LoadAsync(db, row.ProcedureCode, ct);
        if (rules.Versions.Count == 0) return null;
        using var form = JsonDocument.Parse(personalData.Open(row.FormData));
        var f = form.RootElement;
        var birth = Domain.Applicants.Beneficiary.BirthDate(f, row.ApplicantBirthDate);
        var idHash = row.PersonIdHash;

        var groups = new List<string>();
        if (Text(f, "beneficiaryGroup") is { } first) groups.Add(first);
        if (f.TryGetProperty("otherGroups", out var others) && others.ValueKind == JsonValueKind.Array)
            groups.AddRange(others.EnumerateArray().Select(g => g.GetString()!).Where(g => !groups.Contains(g)));

        var receivesPension = f.TryGetProperty("receivesMonthlyPensionOrInsurance", out var rp) && rp.ValueKind == JsonValueKind.True;
        decimal? pension = Number(f, "currentMonthlyPensionOrInsuranceVnd");
        if (receivesPension && pension is null)
            return new BenefitCheck(new BenefitRefused("pension-amount-missing", "Luật Bảo hiểm xã hội 2024 Điều 21",
                "Hồ sơ ghi đang hưởng lương hưu/trợ cấp BHXH nhưng chưa ghi mức hưởng; cần yêu cầu bổ sung trước khi quyết định."), null, row.ApplicantName);
        var declaredAllowance = f.TryGetProperty("receivesMonthlySocialAllowance", out var ra) && ra.ValueKind == JsonValueKind.True
            ? Number(f, "monthlySocialAllowanceVnd") : null;
        var other = idHash is null || !OtherMonthly.TryGetValue(row.ProcedureCode, out var otherCodes) ? null
            : await OtherMonthlyBenefitAsync(idHash, row.Id, otherCodes, ct);
        var otherVnd = Max(other?.Vnd, declaredAllowance);

        var claim = new BenefitClaim(
            row.ProcedureCode,
            row.ProcedureCode == "BTXH-02" ? RequestType.ChangeOfResidence : Text(f, "requestType") switch
            {
                "adjust" => RequestType.Adjust,
                "stop" => RequestType.Stop,
                _ => RequestType.Start,
            },
            birth,
            groups,
            (int)(Number(f, "numberOfChildrenRaised") ?? 1),
            Text(f, "eligibilityBasis") == "age-70-74-poor-or-near-poor" ? "near-poor" : PovertyClaim.From(row.ProcedureCode, f.GetRawText()),
            receivesPension ? pension : 0,
            otherVnd,
            other?.Code,
            // The schema's pattern admits "0000-01": an unreadable month is treated as missing (refused, not a 500).
            Text(f, "lastPaidMonth") is { } last && DateOnly.TryParseExact(last + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var lastMonth)
                ? lastMonth : null,
            Text(f, "damageType"));
        var name = f.TryGetProperty("beneficiary", out var b) && b.ValueKind == JsonValueKind.Object && Text(b, "fullName") is { } n ? n : row.ApplicantName;
        return BenefitDecider.Decide(rules, claim, decisionDate) is { } decision ? new BenefitCheck(decision, claim, name) : null;
    }

    /// <summary>The refusal of approval: 422 naming the rule and its source.</summary>
    public static ProblemException Refusal(string rule, string source, string message) =>
        new(StatusCodes.Status422UnprocessableEntity, "benefit-rule", "Quy định không cho phép chấp thuận",
            $"{message} (Căn cứ: {source}.) Chủ tịch vẫn có thể từ chối kèm lý do.",
            new Dictionary<string, string[]> { ["rule"] = [rule], ["source"] = [source] });

    private async Task<(decimal Vnd, string Code)?> OtherMonthlyBenefitAsync(string idHash, Guid dossierId, string[] codes, CancellationToken ct)
    {
        var register = await db.QueryAsync<(long Vnd, string Code)>(Sql.Register, new { IdHash = idHash, Codes = codes }, ct);
        var granted = await db.QueryAsync<GrantedRow>(Sql.Granted, new { IdHash = idHash, Codes = codes, Id = dossierId }, ct);
        var fromDossiers = granted.Where(g => !AskedToStop(g.FormData)).Select(g =>
        {
            using var d = JsonDocument.Parse(g.DecisionJson);
            return d.RootElement.TryGetProperty("amountVnd", out var a) && a.ValueKind == JsonValueKind.Number
                   && !(d.RootElement.TryGetProperty("lastMonth", out var l) && l.ValueKind == JsonValueKind.String)
                ? ((decimal Vnd, string Code)?)(a.GetDecimal(), g.ProcedureCode) : null;
        }).Where(x => x is not null).Select(x => x!.Value);
        var all = register.Select(r => ((decimal)r.Vnd, r.Code)).Concat(fromDossiers).ToList();
        return all.Count == 0 ? null : all.MaxBy(x => x.Item1);
    }

    /// <summary>A stop decided before stops carried a last month (they then stored an amount): read from its form.</summary>
    private bool AskedToStop(Sealed form)
    {
        using var doc = JsonDocument.Parse(personalData.Open(form));
        return Text(doc.RootElement, "requestType") == "stop";
    }

    private sealed record GrantedRow
    {
        public string DecisionJson { get; init; } = "";
        public string ProcedureCode { get; init; } = "";
        public Sealed FormData { get; init; }
    }

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    internal static class Sql
    {
        public const string Register = """
            SELECT monthly_amount_vnd, benefit_code FROM beneficiary
            WHERE id_hash = @IdHash AND benefit_code IN @Codes AND entitlement = 'continues' AND merged_into IS NULL
            """;
        // The person's latest decision per other procedure (a stop carries a last month and pays nothing more).
        public const string Granted = $"""
            SELECT decision_json, procedure_code, form_data FROM dossier d
            WHERE {DossierAccess.IsPersons}
              AND procedure_code IN @Codes AND outcome = 'Granted' AND id <> @Id AND decision_json IS NOT NULL
              AND decision_date = (SELECT MAX(x.decision_date) FROM dossier x
                                   WHERE x.id IN (SELECT id FROM dossier WHERE {DossierAccess.IsPersons})
                                     AND x.procedure_code = d.procedure_code AND x.outcome = 'Granted')
            """;
    }
}
