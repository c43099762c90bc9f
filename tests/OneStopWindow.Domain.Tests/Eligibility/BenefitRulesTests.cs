using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Domain.Eligibility;
using static OneStopWindow.Domain.Tests.Eligibility.SeedRules;

namespace OneStopWindow.Domain.Tests.Eligibility;

public sealed class BenefitRulesTests
{
    private static readonly string[] SeededGroups =
    [
        "child-without-care", "youth-in-study", "child-hiv-poor", "single-parent-poor", "elderly-poor-no-supporter",
        "elderly-75-80-em-area", "elderly-80-no-pension", "elderly-community-care", "disability-severe",
        "disability-extremely-severe", "child-under-3-em-area", "hiv-poor",
    ];

    [Theory]
    [InlineData("BTXH-01")]
    [InlineData("BTXH-02")]
    [InlineData("BTXH-03")]
    [InlineData("BTXH-05")]
    [InlineData("BTXH-06")]
    public void The_seeded_catalogue_parameters_parse_with_the_standard_level_of_Decree_76_2024(string procedure)
    {
        var set = Set(Parameters(procedure), SeedValidFrom);
        Assert.Equal(500_000m, set.StandardVnd);
        Assert.Equal(new RuleSource("Nghị định 76/2024/NĐ-CP", true), set.NationalStandardSource);
        Assert.Null(set.ProvincialStandardVnd);   // Phú Thọ's own level: none found (DOMAIN §2.1)
    }

    [Fact]
    public void The_seeded_groups_are_the_twelve_of_Decree_20_Art_5_the_same_for_BTXH_01_and_BTXH_02()
    {
        var btxh01 = Set(Parameters("BTXH-01"), SeedValidFrom);
        var btxh02 = Set(Parameters("BTXH-02"), SeedValidFrom);
        Assert.Equal(SeededGroups, btxh01.Groups.Keys);
        Assert.Equal(SeededGroups, btxh02.Groups.Keys);
        foreach (var code in SeededGroups)
        {
            var (a, b) = (btxh01.Groups[code], btxh02.Groups[code]);
            Assert.Equal((a.MinAge, a.MaxAge, a.PerChild, a.Source), (b.MinAge, b.MaxAge, b.PerChild, b.Source));
            Assert.Equal(a.Bands, b.Bands);
            Assert.StartsWith("Nghị định 20/2021/NĐ-CP Điều 5 khoản ", a.Source.LegalText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_seeded_age_limits_are_those_of_Decree_20_Art_5()
    {
        var groups = Set(Parameters("BTXH-01"), SeedValidFrom).Groups;
        Assert.Equal((null, 16), (groups["child-without-care"].MinAge, groups["child-without-care"].MaxAge));
        Assert.Equal((16, 23), (groups["youth-in-study"].MinAge, groups["youth-in-study"].MaxAge));   // 16–22 inclusive
        Assert.Equal((null, 16), (groups["child-hiv-poor"].MinAge, groups["child-hiv-poor"].MaxAge));
        Assert.Equal((null, null), (groups["single-parent-poor"].MinAge, groups["single-parent-poor"].MaxAge));
        Assert.True(groups["single-parent-poor"].PerChild);
        Assert.Equal((60, null), (groups["elderly-poor-no-supporter"].MinAge, groups["elderly-poor-no-supporter"].MaxAge));
        Assert.Equal((75, 80), (groups["elderly-75-80-em-area"].MinAge, groups["elderly-75-80-em-area"].MaxAge));
        Assert.Equal((80, null), (groups["elderly-80-no-pension"].MinAge, groups["elderly-80-no-pension"].MaxAge));
        Assert.Equal((60, null), (groups["elderly-community-care"].MinAge, groups["elderly-community-care"].MaxAge));
        Assert.Equal((null, 3), (groups["child-under-3-em-area"].MinAge, groups["child-under-3-em-area"].MaxAge));
        Assert.Equal((null, null), (groups["hiv-poor"].MinAge, groups["hiv-poor"].MaxAge));
        Assert.Equal([new AgeBand(null, 16, 2.0m), new AgeBand(16, 60, 1.5m), new AgeBand(60, null, 2.0m)], groups["disability-severe"].Bands);
        Assert.Equal([new AgeBand(null, 16, 2.5m), new AgeBand(16, 60, 2.0m), new AgeBand(60, null, 2.5m)], groups["disability-extremely-severe"].Bands);
    }

    [Fact]
    public void DOMAIN_2_2_unconfirmed_values_are_listed_with_their_source()
    {
        Assert.Equal(
            ["groups.child-without-care", "groups.youth-in-study", "groups.child-hiv-poor", "groups.child-under-3-em-area", "groups.hiv-poor"],
            Set(Parameters("BTXH-01"), SeedValidFrom).Unconfirmed().Select(u => u.Rule));
        var funeral = Assert.Single(Set(Parameters("BTXH-03"), SeedValidFrom).Unconfirmed());
        Assert.Equal("funeral", funeral.Rule);
        Assert.StartsWith("Nghị định 20/2021/NĐ-CP Điều 11", funeral.Source.LegalText, StringComparison.Ordinal);
        Assert.Empty(Set(Parameters("BTXH-05"), SeedValidFrom).Unconfirmed());
        Assert.Empty(Set(Parameters("BTXH-06"), SeedValidFrom).Unconfirmed());
    }

    [Fact]
    public void The_seeded_pension_funeral_and_housing_rules_are_those_of_their_texts()
    {
        Assert.Equal(new PensionRule(75, 70, 500_000m, 0m, new("Luật Bảo hiểm xã hội 2024 Điều 21; Nghị định 176/2025/NĐ-CP Điều 2, 3", true)),
            Set(Parameters("BTXH-05"), SeedValidFrom).Pension);
        Assert.Equal(20m, Set(Parameters("BTXH-03"), SeedValidFrom).FuneralMultiple);
        var housing = Set(Parameters("BTXH-06"), SeedValidFrom);
        Assert.Equal(40_000_000m, housing.HousingMinimaVnd["house-collapsed-washed-away-or-burned"]);
        Assert.Equal(30_000_000m, housing.HousingMinimaVnd["urgent-relocation"]);
        Assert.Equal(20_000_000m, housing.HousingMinimaVnd["severely-damaged"]);
        Assert.Equal(new RuleSource("Nghị định 20/2021/NĐ-CP Điều 15", true), housing.HousingSource);
    }

    [Fact]
    public void The_documented_example_parses_and_pays_as_documented()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot(), "api-specs", "benefit-rules.md"));
        var start = markdown.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
        var set = Set(JsonNode.Parse(json)!, SeedValidFrom);
        Assert.Equal(["provincialStandardLevel", "groups.child-without-care", "groups.youth-in-study", "funeral"], set.Unconfirmed().Select(u => u.Rule));
        var claim = new BenefitClaim("BTXH-01", RequestType.Start, D("2024-06-01"), ["child-without-care"], 0, null, null, null, null, null, null);
        Assert.Equal(1_500_000m, Assert.IsType<BenefitGranted>(BenefitDecider.Decide(new BenefitRules([set]), claim, D("2026-11-29"))).Amount.Vnd);
    }

    [Fact]
    public void An_unconfirmed_provincial_level_is_listed()
    {
        var parameters = Parameters("BTXH-01");
        parameters["provincialStandardLevel"] = new JsonObject { ["vnd"] = 600_000, ["legalText"] = "Nghị quyết HĐND tỉnh", ["confirmed"] = false };
        var set = Set(parameters, SeedValidFrom);
        Assert.Equal(600_000m, set.StandardVnd);
        Assert.Equal(("provincialStandardLevel", new RuleSource("Nghị quyết HĐND tỉnh", false)), set.Unconfirmed()[0]);
    }

    private const string Level = """ "standardLevel": { "vnd": 500000, "legalText": "Nghị định 76/2024/NĐ-CP", "confirmed": true } """;
    private const string Source = """ "legalText": "Nghị định 20/2021/NĐ-CP", "confirmed": true """;

    [Theory]
    [InlineData("{}", "standardLevel")]
    [InlineData("""{ "standardLevel": { "vnd": -1, "legalText": "x", "confirmed": true } }""", "standardLevel.vnd")]
    [InlineData("""{ "standardLevel": { "vnd": 500000.5, "legalText": "x", "confirmed": true } }""", "standardLevel.vnd")]
    [InlineData("""{ "standardLevel": { "vnd": 500000, "confirmed": true } }""", "standardLevel.legalText")]
    [InlineData("""{ "standardLevel": { "vnd": 500000, "legalText": "x" } }""", "standardLevel.confirmed")]
    [InlineData("""{ "standardLevel": { "vnd": 500000, "legalText": "x", "confirmed": true, "amount": 1 } }""", "standardLevel.amount")]
    [InlineData("{" + Level + """, "coefficients": {} }""", "coefficients")]
    [InlineData("{" + Level + """, "provincialStandardLevel": { "vnd": -600000, "legalText": "x", "confirmed": false } }""", "provincialStandardLevel.vnd")]
    [InlineData("{" + Level + """, "groups": { "child-without-care": { "maxAge": 16, "bands": [ { "toAge": 4, "coefficient": -2.5 } ], """ + Source + " } } }",
        "groups.child-without-care.bands[0].coefficient")]
    [InlineData("{" + Level + """, "groups": { "hiv-poor": { "bands": [ { "coefficient": 0 } ], """ + Source + " } } }", "groups.hiv-poor.bands[0].coefficient")]
    [InlineData("{" + Level + """, "groups": { "hiv-poor": { "bands": [ { "coefficient": 10.5 } ], """ + Source + " } } }", "groups.hiv-poor.bands[0].coefficient")]
    [InlineData("{" + Level + """, "groups": { "hiv-poor": { "bands": [], """ + Source + " } } }", "groups.hiv-poor.bands")]
    [InlineData("{" + Level + """, "groups": { "hiv-poor": { "bands": [ { "coefficient": 1.5, "coeff": 1 } ], """ + Source + " } } }", "groups.hiv-poor.bands[0].coeff")]
    [InlineData("{" + Level + """, "groups": { "child-without-care": { "bands": [ { "fromAge": 4, "coefficient": 1.5 }, """ +
        """{ "toAge": 4, "coefficient": 2.5 } ], """ + Source + " } } }", "groups.child-without-care.bands[1].fromAge")]
    [InlineData("{" + Level + """, "groups": { "elderly-poor-no-supporter": { "bands": [ { "fromAge": 60, "toAge": 80, "coefficient": 1.5 }, """ +
        """{ "fromAge": 79, "coefficient": 2 } ], """ + Source + " } } }", "groups.elderly-poor-no-supporter.bands[1].fromAge")]
    [InlineData("{" + Level + """, "groups": { "elderly-poor-no-supporter": { "bands": [ { "fromAge": 60, "toAge": 80, "coefficient": 1.5 }, """ +
        """{ "fromAge": 81, "coefficient": 2 } ], """ + Source + " } } }", "groups.elderly-poor-no-supporter.bands[1].fromAge")]
    [InlineData("{" + Level + """, "groups": { "disability-severe": { "bands": [ { "fromAge": 16, "toAge": 16, "coefficient": 1.5 } ], """ + Source + " } } }",
        "groups.disability-severe.bands[0].toAge")]
    [InlineData("{" + Level + """, "groups": { "youth-in-study": { "minAge": 23, "maxAge": 16, "bands": [ { "coefficient": 1.5 } ], """ + Source + " } } }", "groups.youth-in-study.maxAge")]
    [InlineData("{" + Level + """, "groups": { "youth-in-study": { "minAge": 16.5, "bands": [ { "coefficient": 1.5 } ], """ + Source + " } } }", "groups.youth-in-study.minAge")]
    [InlineData("{" + Level + """, "groups": { "Hiv Poor": { "bands": [ { "coefficient": 1.5 } ], """ + Source + " } } }", "groups.Hiv Poor")]
    [InlineData("{" + Level + """, "pension": { "age": 75, "poorHouseholdAge": 70, "amountVnd": -500000, """ + Source + " } }", "pension.amountVnd")]
    [InlineData("{" + Level + """, "pension": { "age": 75, "poorHouseholdAge": 70, "amountVnd": 500000, "provincialTopUpVnd": -1, """ + Source + " } }", "pension.provincialTopUpVnd")]
    [InlineData("{" + Level + """, "pension": { "age": 70, "poorHouseholdAge": 75, "amountVnd": 500000, """ + Source + " } }", "pension.poorHouseholdAge")]
    [InlineData("{" + Level + """, "funeral": { "multiple": 0, """ + Source + " } }", "funeral.multiple")]
    [InlineData("{" + Level + """, "housingMinima": { "vndByDamageType": { "urgent-relocation": -30000000 }, """ + Source + " } }", "housingMinima.vndByDamageType.urgent-relocation")]
    [InlineData("{" + Level + """, "housingMinima": { "minimumVndByDamageType": {}, """ + Source + " } }", "housingMinima.minimumVndByDamageType")]
    public void Bad_parameters_are_refused_naming_the_member_path(string json, string path)
    {
        using var doc = JsonDocument.Parse(json);
        var error = Assert.Throws<BenefitParametersException>(() => BenefitRuleSet.FromParameters(doc.RootElement, SeedValidFrom, null));
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void A_version_must_end_after_it_starts()
    {
        var error = Assert.Throws<BenefitParametersException>(() => Set(Parameters("BTXH-05"), D("2027-01-01"), D("2027-01-01")));
        Assert.Equal("validTo", error.Path);
    }

    [Fact]
    public void The_version_in_force_on_the_first_day_of_the_month_applies()
    {
        var p = Parameters("BTXH-05");
        var v2024 = Set(p, SeedValidFrom, D("2027-01-01"));
        var v2027 = Set(p, D("2027-01-01"));
        var midMonth = Set(p, D("2027-03-15"));
        var rules = new BenefitRules([midMonth, v2027, v2024]);

        Assert.Equal([v2024, v2027, midMonth], rules.Versions);
        Assert.Null(rules.For(D("2024-06-01")));
        Assert.Same(v2024, rules.For(D("2024-07-20")));
        Assert.Same(v2024, rules.For(D("2026-12-31")));
        Assert.Same(v2027, rules.For(D("2027-01-01")));     // validTo is exclusive
        Assert.Same(v2027, rules.For(D("2027-03-31")));     // from the 15th: not in force on 1 March
        Assert.Same(midMonth, rules.For(D("2027-04-01")));  // overlapping versions: the latest start wins
    }
}
