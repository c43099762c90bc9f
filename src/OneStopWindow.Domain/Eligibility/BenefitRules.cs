using System.Globalization;
using System.Text.Json;

namespace OneStopWindow.Domain.Eligibility;

/// <summary>Where a rule value comes from, and whether it is confirmed against the legal text (unconfirmed: verify before go-live).</summary>
public sealed record RuleSource(string LegalText, bool Confirmed);

/// <summary>A coefficient for beneficiaries aged <see cref="FromAge"/> (inclusive) to <see cref="ToAge"/> (exclusive) in whole years.</summary>
public sealed record AgeBand(int? FromAge, int? ToAge, decimal Coefficient)
{
    public bool Covers(int age) => (FromAge is null || age >= FromAge) && (ToAge is null || age < ToAge);
}

/// <summary>
/// One Decree 20/2021 Art. 5 group: who may be in it (age limits of the beneficiary, in whole years, on the month
/// considered) and its coefficient by age band; <see cref="PerChild"/>: the coefficient is paid per child raised (group 4).
/// </summary>
/// <remarks><see cref="MinAge"/> is inclusive and <see cref="MaxAge"/> exclusive, like the bands: "under 16" is
/// <c>maxAge: 16</c>, "16–22 in study" is <c>minAge: 16, maxAge: 23</c> (22 included).</remarks>
public sealed record GroupRule(string Code, int? MinAge, int? MaxAge, IReadOnlyList<AgeBand> Bands, bool PerChild, RuleSource Source)
{
    /// <summary>Only for someone who receives no pension or monthly social-insurance benefit (group 5c).</summary>
    public bool RequiresNoPension { get; init; }

    public bool Admits(int age) => (MinAge is null || age >= MinAge) && (MaxAge is null || age < MaxAge);

    /// <summary>The coefficient for a beneficiary of <paramref name="age"/>; null outside the group's limits or bands.</summary>
    public decimal? CoefficientAt(int age) => Admits(age) ? Bands.FirstOrDefault(b => b.Covers(age))?.Coefficient : null;
}

/// <summary>
/// The social pension (Law on Social Insurance 2024 Art. 21, Decree 176/2025): from <see cref="Age"/>, or from
/// <see cref="PoorHouseholdAge"/> in a poor or near-poor household; none for someone whose pension or monthly social
/// insurance is at least the amount; <see cref="ProvincialTopUpVnd"/> added from the provincial budget.
/// </summary>
public sealed record PensionRule(int Age, int PoorHouseholdAge, decimal AmountVnd, decimal ProvincialTopUpVnd, RuleSource Source);

/// <summary>A <c>benefit.parameters</c> document that breaks the format: <see cref="Path"/> names the member (e.g. <c>groups.hiv-poor.bands[0].coefficient</c>).</summary>
public sealed class BenefitParametersException(string path, string problem) : FormatException($"{path}: {problem}")
{
    public string Path { get; } = path;
}

/// <summary>
/// The benefit rules in force from <see cref="ValidFrom"/> to <see cref="ValidTo"/> (exclusive; null = open): the
/// data behind every amount. Parsed from a procedure's catalogue <c>benefit.parameters</c> (format in
/// <see cref="FromParameters"/>), stored as versions and changed by administrators through the API, never by a release.
/// </summary>
public sealed record BenefitRuleSet(
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    decimal NationalStandardVnd,
    RuleSource NationalStandardSource,
    decimal? ProvincialStandardVnd,
    RuleSource? ProvincialStandardSource,
    IReadOnlyDictionary<string, GroupRule> Groups,
    PensionRule? Pension,
    decimal? FuneralMultiple,
    RuleSource? FuneralSource,
    IReadOnlyDictionary<string, decimal> HousingMinimaVnd,
    RuleSource? HousingSource)
{
    /// <summary>The standard level paid: the provincial one where the People's Council set a higher one.</summary>
    public decimal StandardVnd => Math.Max(NationalStandardVnd, ProvincialStandardVnd ?? 0);

    /// <summary>The source of <see cref="StandardVnd"/>: the provincial text when the provincial level is the one paid.</summary>
    public RuleSource StandardSource =>
        ProvincialStandardVnd > NationalStandardVnd && ProvincialStandardSource is not null ? ProvincialStandardSource : NationalStandardSource;

    /// <summary>
    /// Parses <c>benefit.parameters</c>; throws <see cref="FormatException"/> (a <see cref="BenefitParametersException"/>)
    /// naming the bad member. The format (api-specs/benefit-rules.md): an object with <c>standardLevel</c> (required)
    /// and the optional <c>provincialStandardLevel</c>, <c>groups</c>, <c>pension</c>, <c>funeral</c>,
    /// <c>housingMinima</c>; each carries its <c>legalText</c> and <c>confirmed</c>. Unknown members, negative or
    /// fractional amounts, coefficients outside (0, 10], unsorted, overlapping or gapped bands and empty age ranges are refused.
    /// </summary>
    public static BenefitRuleSet FromParameters(JsonElement parameters, DateOnly validFrom, DateOnly? validTo)
    {
        if (validTo is { } to && to <= validFrom) throw new BenefitParametersException("validTo", "phải sau validFrom.");
        var root = Members.Of(parameters, "", "standardLevel", "provincialStandardLevel", "groups", "pension", "funeral", "housingMinima");

        var national = Members.Of(root.Required("standardLevel"), "standardLevel", "vnd", "legalText", "confirmed");
        var provincial = root.Optional("provincialStandardLevel") is { } p
            ? Members.Of(p, "provincialStandardLevel", "vnd", "legalText", "confirmed") : null;

        var groups = new Dictionary<string, GroupRule>(StringComparer.Ordinal);
        if (root.Optional("groups") is { } g)
            foreach (var (code, value, path) in Members.Keyed(g, "groups"))
                groups.Add(code, Group(code, value, path));

        PensionRule? pension = null;
        if (root.Optional("pension") is { } pe)
        {
            var m = Members.Of(pe, "pension", "age", "poorHouseholdAge", "amountVnd", "provincialTopUpVnd", "legalText", "confirmed");
            var age = m.Age("age", required: true)!.Value;
            var poorAge = m.Age("poorHouseholdAge", required: true)!.Value;
            if (poorAge > age) throw m.Bad("poorHouseholdAge", "không được lớn hơn age.");
            pension = new(age, poorAge, m.Vnd("amountVnd", positive: true), m.Optional("provincialTopUpVnd") is null ? 0 : m.Vnd("provincialTopUpVnd", positive: false), m.Source());
        }

        decimal? funeralMultiple = null;
        RuleSource? funeralSource = null;
        if (root.Optional("funeral") is { } f)
        {
            var m = Members.Of(f, "funeral", "multiple", "legalText", "confirmed");
            funeralMultiple = m.Number("multiple", min: 0, max: 100);
            funeralSource = m.Source();
        }

        var housing = new Dictionary<string, decimal>(StringComparer.Ordinal);
        RuleSource? housingSource = null;
        if (root.Optional("housingMinima") is { } h)
        {
            var m = Members.Of(h, "housingMinima", "vndByDamageType", "legalText", "confirmed");
            foreach (var (code, value, path) in Members.Keyed(m.Required("vndByDamageType"), "housingMinima.vndByDamageType"))
                housing.Add(code, Members.Vnd(value, path, positive: true));
            housingSource = m.Source();
        }

        return new(validFrom, validTo,
            national.Vnd("vnd", positive: true), national.Source(),
            provincial?.Vnd("vnd", positive: true), provincial?.Source(),
            groups, pension, funeralMultiple, funeralSource, housing, housingSource);
    }

    private static GroupRule Group(string code, JsonElement value, string path)
    {
        var m = Members.Of(value, path, "minAge", "maxAge", "bands", "perChild", "requiresNoPension", "legalText", "confirmed");
        var minAge = m.Age("minAge", required: false);
        var maxAge = m.Age("maxAge", required: false);
        if (minAge >= maxAge) throw m.Bad("maxAge", "phải lớn hơn minAge.");

        var bandsElement = m.Required("bands");
        if (bandsElement.ValueKind != JsonValueKind.Array || bandsElement.GetArrayLength() == 0)
            throw m.Bad("bands", "phải là một mảng có ít nhất một khoảng tuổi.");
        var bands = new List<AgeBand>();
        foreach (var b in bandsElement.EnumerateArray())
        {
            var band = Members.Of(b, $"{path}.bands[{bands.Count}]", "fromAge", "toAge", "coefficient");
            var from = band.Age("fromAge", required: false);
            var to = band.Age("toAge", required: false);
            if (from >= to) throw band.Bad("toAge", "phải lớn hơn fromAge.");
            var previous = bands.LastOrDefault();
            // Sorted, no overlap, no gap: each band starts where the previous one ends, only the first is open below.
            if (previous is not null && (previous.ToAge is null || from != previous.ToAge))
                throw band.Bad("fromAge", previous.ToAge is null
                    ? "khoảng trước không có toAge nên không thể có khoảng sau."
                    : $"phải bằng toAge của khoảng trước ({previous.ToAge}): các khoảng tuổi xếp tăng dần, không chồng lấn, không hở.");
            bands.Add(new(from, to, band.Number("coefficient", min: 0, max: 10)));
        }
        var perChild = m.Optional("perChild") is not null && m.Flag("perChild");
        var requiresNoPension = m.Optional("requiresNoPension") is not null && m.Flag("requiresNoPension");
        return new(code, minAge, maxAge, bands, perChild, m.Source()) { RequiresNoPension = requiresNoPension };
    }

    /// <summary>Every unconfirmed value, for the catalogue and the README's "to confirm before go-live".</summary>
    public IReadOnlyList<(string Rule, RuleSource Source)> Unconfirmed()
    {
        var all = new List<(string, RuleSource?)>
        {
            ("standardLevel", NationalStandardSource),
            ("provincialStandardLevel", ProvincialStandardSource),
        };
        all.AddRange(Groups.Values.Select(g => ($"groups.{g.Code}", (RuleSource?)g.Source)));
        all.Add(("pension", Pension?.Source));
        all.Add(("funeral", FuneralSource));
        all.Add(("housingMinima", HousingSource));
        return [.. all.Where(r => r.Item2 is { Confirmed: false }).Select(r => (r.Item1, r.Item2!))];
    }

    /// <summary>The members of one JSON object of the parameters, read strictly: only the allowed names, each once.</summary>
    private sealed class Members
    {
        private readonly Dictionary<string, JsonElement> values = new(StringComparer.Ordinal);
        private readonly string path;

        private Members(string path) => this.path = path;

        public static Members Of(JsonElement element, string path, params string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new BenefitParametersException(Root(path), "phải là một đối tượng JSON.");
            var members = new Members(path);
            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                    throw new BenefitParametersException(Join(path, property.Name), $"không phải thành phần đã biết (được phép: {string.Join(", ", allowed)}).");
                if (!members.values.TryAdd(property.Name, property.Value))
                    throw new BenefitParametersException(Join(path, property.Name), "khai báo hai lần.");
            }
            return members;
        }

        /// <summary>An object keyed by codes (group codes, damage types): lower-case letters, digits and hyphens.</summary>
        public static IEnumerable<(string Code, JsonElement Value, string Path)> Keyed(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object) throw new BenefitParametersException(path, "phải là một đối tượng JSON.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var child = Join(path, property.Name);
                if (property.Name.Length == 0 || !property.Name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                    throw new BenefitParametersException(child, "mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.");
                if (!seen.Add(property.Name)) throw new BenefitParametersException(child, "khai báo hai lần.");
                yield return (property.Name, property.Value, child);
            }
        }

        public JsonElement? Optional(string name) =>
            values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        public JsonElement Required(string name) => Optional(name) ?? throw Bad(name, "bắt buộc.");

        public BenefitParametersException Bad(string name, string problem) => new(Join(path, name), problem);

        public decimal Vnd(string name, bool positive) => Vnd(Required(name), Join(path, name), positive);

        public static decimal Vnd(JsonElement value, string path, bool positive)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var vnd)) throw new BenefitParametersException(path, "phải là một số tiền (đồng).");
            if (vnd < 0) throw new BenefitParametersException(path, "không được âm.");
            if (positive && vnd == 0) throw new BenefitParametersException(path, "phải lớn hơn 0.");
            if (vnd != decimal.Truncate(vnd)) throw new BenefitParametersException(path, "phải là số đồng nguyên.");
            return decimal.Truncate(vnd);
        }

        /// <summary>A number in (<paramref name="min"/>, <paramref name="max"/>].</summary>
        public decimal Number(string name, decimal min, decimal max)
        {
            var value = Required(name);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var n)) throw Bad(name, "phải là một số.");
            if (n <= min || n > max)
                throw Bad(name, $"phải lớn hơn {min.ToString(CultureInfo.InvariantCulture)} và không quá {max.ToString(CultureInfo.InvariantCulture)}.");
            return n;
        }

        public int? Age(string name, bool required)
        {
            var value = required ? Required(name) : Optional(name);
            if (value is not { } v) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var age) || age is < 0 or > 150)
                throw Bad(name, "phải là số tuổi nguyên từ 0 đến 150.");
            return age;
        }

        public bool Flag(string name)
        {
            var value = Required(name);
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Bad(name, "phải là true hoặc false."),
            };
        }

        public RuleSource Source()
        {
            var text = Required("legalText");
            if (text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString()))
                throw Bad("legalText", "phải nêu văn bản pháp luật.");
            return new(text.GetString()!.Trim(), Flag("confirmed"));
        }

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        private static string Root(string path) => path.Length == 0 ? "(parameters)" : path;
    }
}

/// <summary>The versions of one procedure's rules; an amount for a month uses the version in force that month.</summary>
public sealed class BenefitRules(IReadOnlyList<BenefitRuleSet> versions)
{
    public IReadOnlyList<BenefitRuleSet> Versions { get; } = versions.OrderBy(v => v.ValidFrom).ToList();

    /// <summary>The version in force on the first day of <paramref name="month"/>; null when none is.</summary>
    /// <remarks>Where versions overlap, the one valid from the latest date wins.</remarks>
    public BenefitRuleSet? For(DateOnly month)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        return Versions.LastOrDefault(v => v.ValidFrom <= first && (v.ValidTo is null || first < v.ValidTo));
    }
}
