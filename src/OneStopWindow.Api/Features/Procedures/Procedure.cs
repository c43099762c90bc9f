using System.Globalization;
using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Procedures;

/// <summary>A catalogue entry as stored (the seed JSON in catalogue_procedure.definition), read in one language.</summary>
public sealed class ProcedureDefinition(JsonElement root)
{
    public JsonElement Root { get; } = root;
    public string Code => Root.GetProperty("code").GetString()!;
    public int ProcessingDays => Root.GetProperty("processingDays").GetInt32();
    public JsonElement FormSchema => Root.GetProperty("formSchema");
    public JsonElement ExampleForm => Root.TryGetProperty("exampleForm", out var e) ? e : default;

    public static ProcedureDefinition Parse(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    /// <summary>The one query for a catalogue entry, used by every slice that needs a procedure's rules.</summary>
    internal static class Sql
    {
        public const string Load = "SELECT definition FROM catalogue_procedure WHERE code = @Code";
    }

    // The catalogue changes only when the seed is re-applied at start-up; a short cache spares every read a
    // query and a JSON parse, and any node sees a change within a minute.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ProcedureDefinition Definition, long Expires)> Cache = new();

    public static async Task<ProcedureDefinition?> LoadAsync(Infrastructure.Data.Db db, string code, CancellationToken ct)
    {
        if (Cache.TryGetValue(code, out var hit) && hit.Expires > Environment.TickCount64) return hit.Definition;
        if (await db.SingleOrDefaultAsync<string>(Sql.Load, new { Code = code }, ct) is not { } json) return null;
        var definition = Parse(json);
        Cache[code] = (definition, Environment.TickCount64 + 60_000);
        return definition;
    }

    public static async Task<ProcedureDefinition> LoadAsync(Infrastructure.Data.DbWrite tx, string code) =>
        Parse((await tx.SingleOrDefaultAsync<string>(Sql.Load, new { Code = code }))!);

    public bool RequiresPublicPosting => Root.GetProperty("requiresPublicPosting").GetBoolean();

    /// <summary>Every document code of the checklist.</summary>
    public IReadOnlySet<string> Checklist =>
        Root.GetProperty("requiredDocuments").EnumerateArray().Select(d => d.GetProperty("code").GetString()!).ToHashSet();

    /// <summary>Required documents the applicant must upload (those the ward fetches from national databases excluded).</summary>
    public IReadOnlyList<string> RequiredUploads =>
        Root.GetProperty("requiredDocuments").EnumerateArray()
            .Where(d => d.GetProperty("required").GetBoolean() && !(d.TryGetProperty("fetchableFromNationalDb", out var f) && f.GetBoolean()))
            .Select(d => d.GetProperty("code").GetString()!)
            .ToList();

    /// <summary>
    /// The legal-basis texts with their validity on <paramref name="today"/>: a text that names a competence (Decree 147/2025)
    /// takes its dates from the Domain's <see cref="Competences"/>, the one definition the decide rows also read; the others
    /// carry their own <c>validFrom</c>/<c>validTo</c> in the seed (null where DOMAIN.md gives no date).
    /// </summary>
    public IReadOnlyList<LegalBasisResponse> LegalBases(Language lang, DateOnly today) =>
        Root.GetProperty("legalBasis").EnumerateArray().Select(b =>
        {
            var competence = b.TryGetProperty("competence", out var c) && c.ValueKind == JsonValueKind.String
                ? Competences.ById(c.GetString()!) ?? throw new InvalidOperationException($"{Code}: unknown competence '{c.GetString()}'")
                : null;
            var from = competence?.ValidFrom ?? Date(b, "validFrom");
            var to = competence is null ? Date(b, "validTo") : competence.ValidTo;
            return new LegalBasisResponse(b.Pick(lang)!, from, to, to is { } end && today >= end) { Competence = competence?.Id };
        }).ToList();

    /// <summary>
    /// Who decides and under which text, on <paramref name="today"/>: the dated deciding competence of this procedure
    /// (<see cref="Competences.DecidingOn"/>, the one the decision is checked against); none for a procedure no dated text governs.
    /// </summary>
    public CompetenceResponse Competence(Language lang, DateOnly today)
    {
        var role = Root.GetProperty("decisionAuthority").GetString()!;
        var unit = Root.GetProperty("competentUnit").Pick(lang);
        if (Competences.DecidingOn(Code, today) is not { } c || !c.Roles.Contains(role)) return new(role, unit, null, null, null, false);
        return new(role, unit, lang == Language.En ? c.SourceEn : c.Source, c.ValidFrom, c.ValidTo, c.ExpiredOn(today)) { Id = c.Id };
    }

    private static DateOnly? Date(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? DateOnly.ParseExact(v.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public ProcedureSummaryResponse ToSummary(Language lang, DateOnly today) => new(
        Code,
        Root.GetProperty("category").GetString()!,
        Root.GetProperty("name").Pick(lang)!,
        Root.GetProperty("summary").Pick(lang),
        ProcessingDays,
        Root.GetProperty("feeVnd").GetDecimal(),
        Root.GetProperty("requiresPublicPosting").GetBoolean(),
        Root.GetProperty("onlineLevel").GetString()!)
    {
        LegalBases = LegalBases(lang, today),
        Competence = Competence(lang, today),
    };

    public ProcedureResponse ToResponse(Language lang, DateOnly today) => new(
        Code,
        Str("nationalCode"),
        Root.GetProperty("category").GetString()!,
        Root.GetProperty("name").Pick(lang)!,
        Root.GetProperty("summary").Pick(lang),
        Root.GetProperty("legalBasis").EnumerateArray().Select(b => b.Pick(lang)!).ToList(),
        ProcessingDays,
        Root.GetProperty("feeVnd").GetDecimal(),
        Root.GetProperty("fee").Pick(lang),
        Root.GetProperty("requiresPublicPosting").GetBoolean(),
        Root.TryGetProperty("postingDays", out var pd) ? pd.GetInt32() : 0,
        Root.GetProperty("decisionAuthority").GetString()!,
        Root.GetProperty("competentUnit").Pick(lang),
        Root.GetProperty("onlineLevel").GetString()!,
        Root.GetProperty("requiredDocuments").EnumerateArray().Select(d => new RequiredDocumentResponse(
            d.GetProperty("code").GetString()!,
            d.GetProperty("name").Pick(lang)!,
            d.GetProperty("required").GetBoolean(),
            d.TryGetProperty("fetchableFromNationalDb", out var f) && f.GetBoolean(),
            d.TryGetProperty("note", out var n) ? n.Pick(lang) : null)).ToList(),
        Root.TryGetProperty("benefit", out var b) && b.ValueKind == JsonValueKind.Object
            ? new BenefitResponse(b.GetProperty("formula").GetString()!, b.GetProperty("parameters").Clone(), b.GetProperty("description").Pick(lang))
            : null,
        FormSchema,
        ExampleForm.ValueKind == JsonValueKind.Undefined ? null : ExampleForm,
        Root.TryGetProperty("unconfirmed", out var u) ? u.EnumerateArray().Select(x => x.GetString()!).ToList() : [])
    {
        LegalBases = LegalBases(lang, today),
        Competence = Competence(lang, today),
    };

    private string? Str(string name) =>
        Root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

public sealed record ProcedureSummaryResponse(
    string Code, string Category, string Name, string? Summary, int ProcessingDays, decimal FeeVnd,
    bool RequiresPublicPosting, string OnlineLevel)
{
    /// <summary>Each legal-basis text with its validity and whether it has expired today (Vietnam).</summary>
    public IReadOnlyList<LegalBasisResponse> LegalBases { get; init; } = [];

    /// <summary>Who decides, under which text, until when.</summary>
    public CompetenceResponse? Competence { get; init; }
}

/// <summary>One legal-basis text and the period it applies.</summary>
/// <param name="Text">The text's citation, in the language asked for.</param>
/// <param name="ValidFrom">First day it applies; null where not recorded.</param>
/// <param name="ValidTo">First day it no longer applies (exclusive end, e.g. 2027-03-01 for Decree 147/2025, whose last day is 2027-02-28); null: no end set.</param>
/// <param name="Expired">Today (Vietnam) is on or after <paramref name="ValidTo"/>.</param>
public sealed record LegalBasisResponse(string Text, DateOnly? ValidFrom, DateOnly? ValidTo, bool Expired)
{
    /// <summary>The competence this text gives (its dates are the competence's, which approval and rejection are checked against), e.g. `nd-147-2025`.</summary>
    public string? Competence { get; init; }
}

/// <summary>Who decides the procedure: the role, the unit, and the text that gives the competence with its validity.</summary>
/// <param name="Role">`ward-chair`, or `external` (decided outside the ward).</param>
/// <param name="Unit">The competent unit, in words.</param>
/// <param name="Source">The text giving the competence; null when not decided by the ward.</param>
/// <param name="ValidFrom">First day the competence applies.</param>
/// <param name="ValidTo">First day it no longer applies (exclusive end); null: no end set.</param>
/// <param name="Expired">Today (Vietnam) is on or after <paramref name="ValidTo"/>: approval and rejection answer 422 `competence-expired`.</param>
public sealed record CompetenceResponse(string Role, string? Unit, string? Source, DateOnly? ValidFrom, DateOnly? ValidTo, bool Expired)
{
    public string? Id { get; init; }
}

/// <summary>One procedure with everything a citizen needs to apply: documents, deadline, fee, and the form fields' JSON Schema.</summary>
public sealed record ProcedureResponse(
    string Code, string? NationalCode, string Category, string Name, string? Summary, IReadOnlyList<string> LegalBasis,
    int ProcessingDays, decimal FeeVnd, string? Fee, bool RequiresPublicPosting, int PostingDays,
    string DecisionAuthority, string? CompetentUnit, string OnlineLevel, IReadOnlyList<RequiredDocumentResponse> RequiredDocuments,
    BenefitResponse? Benefit, JsonElement FormSchema, JsonElement? ExampleForm, IReadOnlyList<string> Unconfirmed)
{
    /// <summary>Each text of `legalBasis` with its validity and whether it has expired today (Vietnam).</summary>
    public IReadOnlyList<LegalBasisResponse> LegalBases { get; init; } = [];

    /// <summary>Who decides, under which text, until when.</summary>
    public CompetenceResponse? Competence { get; init; }
}

public sealed record RequiredDocumentResponse(string Code, string Name, bool Required, bool FetchableFromNationalDb, string? Note);

/// <param name="Parameters">The rules in force today (format: api-specs/benefit-rules.md).</param>
/// <param name="ValidFrom">Since when these rules are in force.</param>
/// <param name="LegalText">What the version in force relies on.</param>
/// <param name="UnconfirmedRules">Values still to be confirmed against the legal text before go-live.</param>
/// <param name="Versions">Every version, with its dates and author.</param>
public sealed record BenefitResponse(string Formula, JsonElement Parameters, string? Description, DateOnly? ValidFrom = null, string? LegalText = null,
    IReadOnlyList<BenefitRules.UnconfirmedRuleResponse>? UnconfirmedRules = null, string? Versions = null);
