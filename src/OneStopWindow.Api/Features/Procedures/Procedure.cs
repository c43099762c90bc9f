using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Http;

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

    public ProcedureSummaryResponse ToSummary(Language lang) => new(
        Code,
        Root.GetProperty("category").GetString()!,
        Root.GetProperty("name").Pick(lang)!,
        Root.GetProperty("summary").Pick(lang),
        ProcessingDays,
        Root.GetProperty("feeVnd").GetDecimal(),
        Root.GetProperty("requiresPublicPosting").GetBoolean(),
        Root.GetProperty("onlineLevel").GetString()!);

    public ProcedureResponse ToResponse(Language lang) => new(
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
        Root.TryGetProperty("unconfirmed", out var u) ? u.EnumerateArray().Select(x => x.GetString()!).ToList() : []);

    private string? Str(string name) =>
        Root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

public sealed record ProcedureSummaryResponse(
    string Code, string Category, string Name, string? Summary, int ProcessingDays, decimal FeeVnd,
    bool RequiresPublicPosting, string OnlineLevel);

/// <summary>One procedure with everything a citizen needs to apply: documents, deadline, fee, and the form fields' JSON Schema.</summary>
public sealed record ProcedureResponse(
    string Code, string? NationalCode, string Category, string Name, string? Summary, IReadOnlyList<string> LegalBasis,
    int ProcessingDays, decimal FeeVnd, string? Fee, bool RequiresPublicPosting, int PostingDays,
    string DecisionAuthority, string? CompetentUnit, string OnlineLevel, IReadOnlyList<RequiredDocumentResponse> RequiredDocuments,
    BenefitResponse? Benefit, JsonElement FormSchema, JsonElement? ExampleForm, IReadOnlyList<string> Unconfirmed);

public sealed record RequiredDocumentResponse(string Code, string Name, bool Required, bool FetchableFromNationalDb, string? Note);

/// <param name="Parameters">The rules in force today (format: api-specs/benefit-rules.md).</param>
/// <param name="ValidFrom">Since when these rules are in force.</param>
/// <param name="LegalText">What the version in force relies on.</param>
/// <param name="UnconfirmedRules">Values still to be confirmed against the legal text before go-live.</param>
/// <param name="Versions">Every version, with its dates and author.</param>
public sealed record BenefitResponse(string Formula, JsonElement Parameters, string? Description, DateOnly? ValidFrom = null, string? LegalText = null,
    IReadOnlyList<BenefitRules.UnconfirmedRuleResponse>? UnconfirmedRules = null, string? Versions = null);
