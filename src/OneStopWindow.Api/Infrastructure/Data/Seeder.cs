using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.VisualBasic.FileIO;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>
/// A feature's part of the start-up seed (the working calendar's years and notices), run inside the seeder's one write
/// transaction after the reference data; it must be idempotent, since every node runs it at every start.
/// </summary>
public interface ISeedPart
{
    Task SeedAsync(DbWrite tx, CancellationToken ct);
}

/// <summary>
/// Loads the seed data (Seed/README.md says where each fact comes from). Static reference data is
/// inserted only into empty tables (one correction aside: the cut resolution clause of two successions, see
/// <see cref="CorrectSuccessionClausesAsync"/>); the catalogue follows procedures.json; the features' parts
/// (<see cref="ISeedPart"/>: the working calendar) follow their own rules.
/// Runs in one write transaction, so two processes starting together do not seed twice.
/// </summary>
public sealed class Seeder(Db db, TimeProvider clock, ILogger<Seeder> logger, IEnumerable<ISeedPart> parts)
{

    public async Task SeedAsync(CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        await SeedProceduresAsync(tx);
        if (await tx.ScalarAsync<long>("SELECT COUNT(*) FROM admin_unit") == 0)
        {
            var units = AdminUnitRows().ToList();
            await tx.ExecuteAsync(Sql.InsertUnit, units);
            var successions = SuccessionRows().ToList();
            await tx.ExecuteAsync(Sql.InsertSuccession, successions);
            logger.LogInformation("Seeded {Units} administrative units and {Successions} successions", units.Count, successions.Count);
        }
        else await CorrectSuccessionClausesAsync(tx);
        foreach (var part in parts) await part.SeedAsync(tx, ct);
        if (await tx.ScalarAsync<long>("SELECT COUNT(*) FROM ward_zone") == 0)
            await tx.ExecuteAsync(Sql.InsertZone, ZoneRows(clock.GetUtcNow()).ToList());
        await tx.CommitAsync();
    }

    private async Task SeedProceduresAsync(DbWrite tx)
    {
        using var doc = JsonDocument.Parse(ReadResource("procedures.json"));
        var now = clock.GetUtcNow();
        foreach (var p in doc.RootElement.EnumerateArray())
        {
            var args = new
            {
                Code = p.GetProperty("code").GetString(),
                Category = p.GetProperty("category").GetString(),
                ProcessingDays = p.GetProperty("processingDays").GetInt32(),
                SearchText = SearchText.Fold(string.Join(' ',
                    p.GetProperty("code").GetString(),
                    p.GetProperty("name").GetProperty("vi").GetString(),
                    p.GetProperty("name").GetProperty("en").GetString())),
                Definition = p.GetRawText(),
                Now = now,
            };
            if (await tx.ExecuteAsync(Sql.UpdateProcedure, args) == 0)
                await tx.ExecuteAsync(Sql.InsertProcedure, args);
            // The first version of the benefit rules, once: later versions are the administrators' (never a release's).
            if (p.TryGetProperty("benefit", out var benefit) && benefit.ValueKind == JsonValueKind.Object
                && benefit.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                await tx.ExecuteAsync(Sql.InsertFirstBenefitRule, new
                {
                    Id = Guid.CreateVersion7(),
                    args.Code,
                    ValidFrom = FirstRulesFrom,
                    Parameters = parameters.GetRawText(),
                    LegalText = "Danh mục ban đầu (procedures.json): Nghị định 20/2021/NĐ-CP, 76/2024/NĐ-CP, 176/2025/NĐ-CP",
                    Now = now,
                });
        }
    }

    /// <summary>The seed's rules are those in force since the standard level of Decree 76/2024.</summary>
    private static readonly DateOnly FirstRulesFrom = new(2024, 7, 1);

    private static IEnumerable<object> AdminUnitRows()
    {
        foreach (var r in ReadCsv("provinces.csv"))
            yield return Unit("current", r["code"], r["name"], r["full_name"], r["type"], null, r["code"]);
        foreach (var r in ReadCsv("communes-all.csv"))
            yield return Unit("current", r["code"], r["name"], r["full_name"], r["type"], r["province_code"], r["province_code"]);
        foreach (var r in ReadCsv("provinces-pre2025.csv"))
            yield return Unit("pre2025", r["code"], r["name"], r["full_name"], r["type"], null, r["code"]);

        var oldRows = ReadCsv("phu-tho-old-to-new.csv").ToList();
        foreach (var d in oldRows.DistinctBy(r => r["old_district_code"]))
        {
            var name = d["old_district_name"];
            yield return Unit("pre2025", d["old_district_code"], ShortName(name), name, d["old_district_type"], d["old_province_code"], d["old_province_code"]);
        }
        foreach (var c in oldRows.DistinctBy(r => r["old_commune_code"]))
        {
            var name = c["old_commune_name"];
            yield return Unit("pre2025", c["old_commune_code"], ShortName(name), name, c["old_commune_type"], c["old_district_code"], c["old_province_code"]);
        }
    }

    // First approximation of the zones (Seed/README.md, "Zones"): no official list for the new units exists yet.
    // Former districts that were mountainous: all of Hòa Bình (17), Yên Lập, Thanh Sơn, Tân Sơn (Phú Thọ), Tam Đảo (Vĩnh Phúc).
    private static readonly HashSet<string> MountainousDistricts =
        ["148", "150", "152", "153", "154", "155", "156", "157", "158", "159", "234", "238", "240", "248"];

    // Former cities and plain districts of Vĩnh Phúc: Vĩnh Yên, Phúc Yên, Bình Xuyên, Yên Lạc, Vĩnh Tường.
    private static readonly HashSet<string> LowlandDistricts = ["243", "244", "249", "251", "252"];

    private const string ZoneSource =
        "Ước lượng ban đầu theo huyện cũ của các xã hợp thành (phường → đô thị; có xã cũ thuộc huyện miền núi → miền núi; " +
        "toàn bộ thuộc huyện đồng bằng → đồng bằng; còn lại → trung du); dân số theo sapnhap.bando (tham khảo). " +
        "Chưa có danh sách chính thức theo NĐ 272/2025/NĐ-CP.";

    private static IEnumerable<object> ZoneRows(DateTimeOffset now)
    {
        var districts = ReadCsv("phu-tho-old-to-new.csv").GroupBy(r => r["new_commune_code"]).ToDictionary(g => g.Key, g => g.Select(r => r["old_district_code"]).ToHashSet());
        foreach (var unit in ReadCsv("communes-all.csv").Where(r => r["province_code"] == "25"))
        {
            var former = districts.GetValueOrDefault(unit["code"]) ?? [];
            var zone = unit["type"] == "ward" ? "urban"
                : former.Overlaps(MountainousDistricts) ? "mountainous"
                : former.Count > 0 && former.IsSubsetOf(LowlandDistricts) ? "lowland"
                : "midland";
            // Implausible portal figures (under 4,000 people) are left out rather than used.
            long? population = long.TryParse(unit["population_bando"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 4000 ? p : null;
            yield return new
            {
                Id = Guid.CreateVersion7(),
                Ward = unit["code"],
                Zone = zone,
                EthnicRegion = (string?)null,
                Population = population,
                ValidFrom = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(7)),
                Source = ZoneSource,
                RecordedBy = "seed",
                Now = now,
            };
        }
    }

    /// <summary>
    /// Databases seeded before the clause of the two units Resolution 1676 left unchanged (Thu Cúc 08545, Trung Sơn 08311:
    /// khoản 147, Seed/README.md) was filled in hold the text cut short, "…Đ.1 k."; it is corrected from the seed. Idempotent:
    /// once no row holds the cut text, this is one COUNT.
    /// </summary>
    private async Task CorrectSuccessionClausesAsync(DbWrite tx)
    {
        if (await tx.ScalarAsync<long>(Sql.CountClause, new { Clause = ResolutionClausePrefix }) == 0) return;
        var fixes = SuccessionRows().Where(r => r.ResolutionClause.StartsWith(ResolutionClausePrefix, StringComparison.Ordinal))
            .Select(r => new { r.OldCode, r.NewCode, Clause = r.ResolutionClause, Cut = ResolutionClausePrefix })
            .ToList();
        var changed = await tx.ExecuteAsync(Sql.CorrectClause, fixes);
        logger.LogInformation("Corrected the resolution clause of {Successions} successions", changed);
    }

    private const string ResolutionClausePrefix = "NQ 1676/NQ-UBTVQH15 Đ.1 k.";

    private sealed record SuccessionRow(string OldCode, string NewCode, string Transfer, string ResolutionClause);

    private static IEnumerable<SuccessionRow> SuccessionRows()
    {
        foreach (var r in ReadCsv("provinces-pre2025.csv"))
            yield return new(r["code"], r["new_province_code"], "full", "NQ 202/2025/QH15");
        foreach (var r in ReadCsv("phu-tho-old-to-new.csv"))
            // Every row names its khoản (Seed/README.md); a row without one would read "…Đ.1 k.", a citation to nothing.
            yield return new(r["old_commune_code"], r["new_commune_code"], r["transfer"], ResolutionClausePrefix + (r["resolution_clause"].Length > 0
                ? r["resolution_clause"] : throw new InvalidDataException($"phu-tho-old-to-new.csv: no resolution clause for {r["old_commune_code"]}")));
    }

    private static object Unit(string era, string code, string name, string fullName, string type, string? parent, string province) => new
    {
        Era = era,
        Code = code,
        Name = name,
        FullName = fullName,
        UnitType = type,
        ParentCode = parent,
        ProvinceCode = province,
        SearchText = SearchText.Fold(code + " " + fullName),
    };

    private static readonly string[] UnitPrefixes =
        ["Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Quận ", "Phường ", "Xã ", "Tỉnh ", "Đặc khu "];

    private static string ShortName(string fullName) =>
        UnitPrefixes.FirstOrDefault(p => fullName.StartsWith(p, StringComparison.Ordinal)) is { } prefix
            ? fullName[prefix.Length..] : fullName;

    private static IEnumerable<Dictionary<string, string>> ReadCsv(string name)
    {
        using var parser = new TextFieldParser(OpenResource(name)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields() ?? [];
        while (!parser.EndOfData)
        {
            var fields = parser.ReadFields() ?? [];
            yield return header.Select((h, i) => (h, v: i < fields.Length ? fields[i] : "")).ToDictionary(x => x.h, x => x.v);
        }
    }

    private static Stream OpenResource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed." + name, StringComparison.Ordinal));
        return assembly.GetManifestResourceStream(resource)!;
    }

    /// <summary>A file of Seed/ (embedded), for the features' seed parts too.</summary>
    public static string ReadResource(string name)
    {
        using var reader = new StreamReader(OpenResource(name));
        return reader.ReadToEnd();
    }

    internal static class Sql
    {
        public const string UpdateProcedure = """
            UPDATE catalogue_procedure SET category = @Category, processing_days = @ProcessingDays,
                search_text = @SearchText, definition = @Definition, updated_at = @Now
            WHERE code = @Code AND definition <> @Definition
            """;
        // Runs only when the update changed nothing: either the row is new or it is already current.
        public const string InsertProcedure = """
            INSERT INTO catalogue_procedure (code, category, processing_days, search_text, definition, updated_at)
            SELECT @Code, @Category, @ProcessingDays, @SearchText, @Definition, @Now
            WHERE NOT EXISTS (SELECT 1 FROM catalogue_procedure WHERE code = @Code)
            """;
        public const string InsertFirstBenefitRule = """
            INSERT INTO benefit_rule (id, procedure_code, valid_from, valid_to, parameters, legal_text, recorded_by, recorded_at)
            SELECT @Id, @Code, @ValidFrom, NULL, @Parameters, @LegalText, 'seed', @Now
            WHERE NOT EXISTS (SELECT 1 FROM benefit_rule WHERE procedure_code = @Code)
            """;
        public const string InsertUnit = """
            INSERT INTO admin_unit (era, code, name, full_name, unit_type, parent_code, province_code, search_text)
            VALUES (@Era, @Code, @Name, @FullName, @UnitType, @ParentCode, @ProvinceCode, @SearchText)
            """;
        public const string InsertSuccession = """
            INSERT INTO unit_succession (old_code, new_code, transfer, resolution_clause)
            VALUES (@OldCode, @NewCode, @Transfer, @ResolutionClause)
            """;
        public const string CountClause = "SELECT COUNT(*) FROM unit_succession WHERE resolution_clause = @Clause";
        public const string CorrectClause = """
            UPDATE unit_succession SET resolution_clause = @Clause
            WHERE old_code = @OldCode AND new_code = @NewCode AND resolution_clause = @Cut
            """;
        public const string InsertZone = """
            INSERT INTO ward_zone (id, ward_code, zone, ethnic_region, population, valid_from, valid_to, source, recorded_by, recorded_at)
            VALUES (@Id, @Ward, @Zone, @EthnicRegion, @Population, @ValidFrom, NULL, @Source, @RecordedBy, @Now)
            """;
    }
}
