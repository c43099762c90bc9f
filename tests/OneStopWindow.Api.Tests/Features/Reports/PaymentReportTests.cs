using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Reports;

/// <summary>
/// The payment report and the equity report's benefits paid per 1,000 inhabitants (issue 19), on lists made through the
/// API: dossiers approved into entitlements, the ward's list drafted and approved by its chair. Two wards of their own (an
/// urban ward and a mountainous commune no other test uses) are asserted exactly; zone, month and province figures hold
/// other tests' lists too, so they are asserted as the exact change these lists make (the collection runs one test at a time).
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaymentReportTests(ApiFactory api)
{
    private static readonly DateOnly Born = new(1944, 1, 20);   // 80 or over: 1,000,000 a month
    private const long Elderly = 1_000_000;

    private string M(int plus = 0) => RegisterTests.MonthOf(api, plus);

    private async Task<string> ApprovedElderlyAsync(string ward)
    {
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(1944), Born, RegisterTests.Elderly(), ward),
            api.As("ward-officer", ward), api.As("ward-chair", ward));
        return await RegisterTests.EntitlementOfAsync(api, r);
    }

    private static async Task<JsonElement> GenerateAsync(HttpClient client, string ward, string month)
    {
        using var response = await client.PostAsync($"/api/v1/wards/{ward}/payment-lists/{month}/generation", null);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Drafts the ward's list, gives every line still without a method post-office cash (in the database), drafts again, the chair approves.</summary>
    private async Task<string> ApprovedListAsync(string ward, string month)
    {
        using var chair = api.As("ward-chair", ward);
        var draft = await GenerateAsync(chair, ward, month);
        await using (var connection = await OpenAsync())
        {
            var owners = await Dapper.SqlMapper.QueryAsync<string>(connection,
                "SELECT e.person_id_hash FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id WHERE l.list_id = @Id AND l.method = 'unknown'",
                new { Id = draft.GetProperty("id").GetString() });
            var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            foreach (var hash in owners)
                await Dapper.SqlMapper.ExecuteAsync(connection, """
                    INSERT OR IGNORE INTO payment_method (id, person_id_hash, entitlement_id, method, post_office_point, version, created_at, updated_at)
                    VALUES (@Id, @Hash, NULL, 'post-office-cash', 'Bưu điện xã', 1, @Now, @Now)
                    """, new { Id = Guid.NewGuid().ToString(), Hash = hash, Now = now });
        }
        draft = await GenerateAsync(chair, ward, month);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-lists/{draft.GetProperty("id").GetString()}/approval");
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{draft.GetProperty("version").GetInt32()}\"");
        using var approved = await chair.SendAsync(request);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, (await approved.ReadJsonAsync()).ToString());
        return draft.GetProperty("id").GetString()!;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// The payer's result, written straight into the ledger: the results upload is built on another branch. As it will:
    /// failed, unclaimed and wrong-account lines release their months so the next list may take them again.
    /// </summary>
    private async Task ReportResultAsync(string listId, string entitlementId, string result)
    {
        await using var connection = await OpenAsync();
        var line = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT id FROM payment_line WHERE list_id = @List AND entitlement_id = @E", new { List = listId, E = entitlementId });
        await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE payment_line SET result = @Result, result_at = @Now WHERE id = @Line",
            new { Result = result, Now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), Line = line });
        if (result != "paid") await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE payment_line_month SET released = 1 WHERE line_id = @Line", new { Line = line });
    }

    private static JsonElement Group(JsonElement report, string group) =>
        Assert.Single(report.GetProperty("lines").EnumerateArray(), l => l.GetProperty("group").GetString() == group);

    private static JsonElement? Maybe(JsonElement report, string group) =>
        report.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("group").GetString() == group).Select(l => (JsonElement?)l).SingleOrDefault();

    private static readonly string[] Counts =
    [
        "issuedLines", "issuedVnd", "paidLines", "paidVnd", "failedLines", "failedVnd", "unclaimedLines", "unclaimedVnd", "wrongAccountLines",
        "wrongAccountVnd", "unreportedLines", "unreportedVnd", "cashlessLines", "cashlessVnd", "arrearsMonths", "arrearsVnd", "arrearsPaidVnd",
        "unpaidEntitlements", "unpaidMonths", "unpaidVnd",
    ];

    private static Dictionary<string, long> Figures(JsonElement? line) =>
        Counts.ToDictionary(c => c, c => line is { } l ? l.GetProperty(c).GetInt64() : 0);

    /// <summary>What these tests' lists add to a line: after minus before, zeros left out.</summary>
    private static Dictionary<string, long> Change(JsonElement? before, JsonElement? after)
    {
        var (b, a) = (Figures(before), Figures(after));
        return Counts.Where(c => a[c] != b[c]).ToDictionary(c => c, c => a[c] - b[c]);
    }

    [Fact]
    public async Task Issued_paid_cashless_arrears_and_unpaid_months_per_ward_zone_and_month_are_exact_and_equity_adds_paid_per_thousand()
    {
        using var province = api.As("provincial-officer");
        var zones = (await province.GetFromJsonAsync<JsonElement>("/api/v1/zones")).EnumerateArray().ToList();
        // Wards of this test's own (no import places anyone there, no other test pays anyone there): the lists hold exactly its lines.
        var (urban, mountain) = (ReservedWards.ReportUrban, ReservedWards.ReportMountainous);
        Assert.Equal("urban", zones.Single(z => z.GetProperty("wardCode").GetString() == urban).GetProperty("zone").GetString());
        Assert.Equal("mountainous", zones.Single(z => z.GetProperty("wardCode").GetString() == mountain).GetProperty("zone").GetString());
        var zoneOf = zones.ToDictionary(z => z.GetProperty("wardCode").GetString()!, z => z.GetProperty("zone").GetString()!);
        var (m0, m1) = (M(), M(1));
        var period = $"from={m0}&to={m1}";
        var days = $"from={m0}-01&to={Domain.Entitlements.Months.Parse(m1)!.Value.AddMonths(1).AddDays(-1):yyyy-MM-dd}";
        async Task<(JsonElement Zone, JsonElement Month, JsonElement Month0, JsonElement Equity)> SnapshotAsync() => (
            await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?{period}&groupBy=zone&unpaidMonths=0"),
            await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?{period}&groupBy=month&unpaidMonths=0"),
            await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?{period}&groupBy=province"),
            await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equity?{days}"));
        var before = await SnapshotAsync();

        // Urban ward: two allowances on next month's list (this month as arrears with it): one by bank account, paid; one in
        // cash, unclaimed. Mountainous commune: one allowance on this month's list, in cash, not yet reported.
        var bank = await ApprovedElderlyAsync(urban);
        var cash = await ApprovedElderlyAsync(urban);
        var unreported = await ApprovedElderlyAsync(mountain);
        using (var put = await api.As("ward-officer", urban).PutAsJsonAsync($"/api/v1/entitlements/{bank}/payment-method",
                   new { method = "bank-account", bankCode = "970405", bankName = "Agribank", accountNumber = "2700205067890", accountHolder = "Nguyễn Văn Báo" }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var urbanList = await ApprovedListAsync(urban, m1);
        await ApprovedListAsync(mountain, m0);
        await ReportResultAsync(urbanList, bank, "paid");
        await ReportResultAsync(urbanList, cash, "unclaimed");

        // Per ward, exactly: nobody else pays in these two wards.
        var byWard = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?{period}&groupBy=ward&unpaidMonths=0");
        Assert.Equal("ward", byWard.GetProperty("groupBy").GetString());
        Assert.Equal(0, byWard.GetProperty("unpaidMonthsOver").GetInt32());
        var u = Group(byWard, urban);
        Assert.Equal(new Dictionary<string, long>
        {
            ["issuedLines"] = 2,
            ["issuedVnd"] = 4 * Elderly,
            ["paidLines"] = 1,
            ["paidVnd"] = 2 * Elderly,
            ["failedLines"] = 0,
            ["failedVnd"] = 0,
            ["unclaimedLines"] = 1,
            ["unclaimedVnd"] = 2 * Elderly,
            ["wrongAccountLines"] = 0,
            ["wrongAccountVnd"] = 0,
            ["unreportedLines"] = 0,
            ["unreportedVnd"] = 0,
            ["cashlessLines"] = 1,
            ["cashlessVnd"] = 2 * Elderly,
            ["arrearsMonths"] = 2,
            ["arrearsVnd"] = 2 * Elderly,
            ["arrearsPaidVnd"] = Elderly,   // this month, paid on next month's list
            // Unpaid for more than 0 months as of next month: the cash allowance's this month (unclaimed, released, not paid since).
            ["unpaidEntitlements"] = 1,
            ["unpaidMonths"] = 1,
            ["unpaidVnd"] = Elderly,
        }, Figures(u));
        Assert.Equal(0.5m, u.GetProperty("cashlessShareOfLines").GetDecimal());
        Assert.Equal(0.5m, u.GetProperty("cashlessShareOfAmount").GetDecimal());
        var mo = Group(byWard, mountain);
        Assert.Equal(new Dictionary<string, long>
        {
            ["issuedLines"] = 1,
            ["issuedVnd"] = Elderly,
            ["paidLines"] = 0,
            ["paidVnd"] = 0,
            ["failedLines"] = 0,
            ["failedVnd"] = 0,
            ["unclaimedLines"] = 0,
            ["unclaimedVnd"] = 0,
            ["wrongAccountLines"] = 0,
            ["wrongAccountVnd"] = 0,
            ["unreportedLines"] = 1,
            ["unreportedVnd"] = Elderly,
            ["cashlessLines"] = 0,
            ["cashlessVnd"] = 0,
            ["arrearsMonths"] = 0,
            ["arrearsVnd"] = 0,
            ["arrearsPaidVnd"] = 0,
            ["unpaidEntitlements"] = 1,
            ["unpaidMonths"] = 1,
            ["unpaidVnd"] = Elderly,   // this month, unreported, as of next month
        }, Figures(mo));
        Assert.Equal(0m, mo.GetProperty("cashlessShareOfLines").GetDecimal());
        Assert.Equal(byWard.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("issuedVnd").GetInt64()), byWard.GetProperty("total").GetProperty("issuedVnd").GetInt64());

        // More than 2 months (the default): these months are not old enough; as of this month (to = this month) neither.
        var byDefault = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?{period}&groupBy=ward");
        Assert.Equal(2, byDefault.GetProperty("unpaidMonthsOver").GetInt32());
        Assert.Equal(0, Group(byDefault, urban).GetProperty("unpaidEntitlements").GetInt32());
        var thisMonth = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?from={m0}&to={m0}&groupBy=ward&unpaidMonths=0");
        Assert.Null(Maybe(thisMonth, urban));   // the urban list is next month's
        Assert.Equal(0, Group(thisMonth, mountain).GetProperty("unpaidMonths").GetInt32());

        var after = await SnapshotAsync();
        // Per zone: exactly what the two wards add (the zones hold other tests' lists too).
        Assert.Equal(Figures(u).Where(f => f.Value != 0).ToDictionary(), Change(Maybe(before.Zone, zoneOf[urban]), Maybe(after.Zone, zoneOf[urban])));
        Assert.Equal(Figures(mo).Where(f => f.Value != 0).ToDictionary(), Change(Maybe(before.Zone, "mountainous"), Maybe(after.Zone, "mountainous")));
        Assert.Equal("xã/phường miền núi", Group(after.Zone, "mountainous").GetProperty("groupName").GetString());
        // Per month: next month's line has the urban list and, as of next month, both unpaid months; this month's the commune's list.
        Assert.Equal(new Dictionary<string, long>
        {
            ["issuedLines"] = 2,
            ["issuedVnd"] = 4 * Elderly,
            ["paidLines"] = 1,
            ["paidVnd"] = 2 * Elderly,
            ["unclaimedLines"] = 1,
            ["unclaimedVnd"] = 2 * Elderly,
            ["cashlessLines"] = 1,
            ["cashlessVnd"] = 2 * Elderly,
            ["arrearsMonths"] = 2,
            ["arrearsVnd"] = 2 * Elderly,
            ["arrearsPaidVnd"] = Elderly,
            ["unpaidEntitlements"] = 2,
            ["unpaidMonths"] = 2,
            ["unpaidVnd"] = 2 * Elderly,
        }, Change(Maybe(before.Month, m1), Maybe(after.Month, m1)));
        Assert.Equal(new Dictionary<string, long> { ["issuedLines"] = 1, ["issuedVnd"] = Elderly, ["unreportedLines"] = 1, ["unreportedVnd"] = Elderly },
            Change(Maybe(before.Month, m0), Maybe(after.Month, m0)));   // as of this month, this month is not yet more than 0 months unpaid
        // The province: both wards; the default N = 2 adds no unpaid month.
        Assert.Equal(new Dictionary<string, long>
        {
            ["issuedLines"] = 3,
            ["issuedVnd"] = 5 * Elderly,
            ["paidLines"] = 1,
            ["paidVnd"] = 2 * Elderly,
            ["unclaimedLines"] = 1,
            ["unclaimedVnd"] = 2 * Elderly,
            ["unreportedLines"] = 1,
            ["unreportedVnd"] = Elderly,
            ["cashlessLines"] = 1,
            ["cashlessVnd"] = 2 * Elderly,
            ["arrearsMonths"] = 2,
            ["arrearsVnd"] = 2 * Elderly,
            ["arrearsPaidVnd"] = Elderly,
        }, Change(before.Month0.GetProperty("total"), after.Month0.GetProperty("total")));
        Assert.Equal(after.Month0.GetProperty("total").ToString(), Group(after.Month0, "25").ToString().Replace("\"25\"", "\"total\"", StringComparison.Ordinal)
            .Replace("\"Tỉnh Phú Thọ\"", "\"Toàn tỉnh\"", StringComparison.Ordinal));

        // Equity: the paid line of the urban ward, and per 1,000 inhabitants over the zone's wards whose population is known.
        var paidByWard = byWard.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("group").GetString()!, l => l);
        foreach (var zone in new[] { zoneOf[urban], zoneOf[mountain] })
        {
            var b = before.Equity.GetProperty("zones").EnumerateArray().Single(z => z.GetProperty("zone").GetString() == zone);
            var a = after.Equity.GetProperty("zones").EnumerateArray().Single(z => z.GetProperty("zone").GetString() == zone);
            Assert.Equal(zone == zoneOf[urban] ? 1 : 0, a.GetProperty("paidLines").GetInt32() - b.GetProperty("paidLines").GetInt32());
            Assert.Equal(zone == zoneOf[urban] ? 2 * Elderly : 0, a.GetProperty("paidVnd").GetInt64() - b.GetProperty("paidVnd").GetInt64());
            var known = zones.Where(z => z.GetProperty("zone").GetString() == zone && z.GetProperty("population").ValueKind == JsonValueKind.Number).ToList();
            var population = known.Sum(z => z.GetProperty("population").GetInt64());
            long Paid(string field) => known.Sum(z => paidByWard.TryGetValue(z.GetProperty("wardCode").GetString()!, out var l) ? l.GetProperty(field).GetInt64() : 0);
            Assert.Equal(Math.Round(Paid("paidLines") * 1000m / population, 3), a.GetProperty("paidLinesPerThousand").GetDecimal());
            Assert.Equal(Math.Round(Paid("paidVnd") * 1000m / population, 0), a.GetProperty("paidVndPerThousand").GetDecimal());
        }

        // The CSV has the same figures.
        var csv = await province.GetStringAsync($"/api/v1/reports/payments?{period}&groupBy=ward&unpaidMonths=0&format=csv");
        var urbanRow = csv.Split('\n').Single(r => r.StartsWith(urban + ",", StringComparison.Ordinal));
        Assert.Contains(",2,4000000,1,2000000,0,0,1,2000000,", urbanRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payment_reports_are_for_provincial_staff_and_bad_parameters_are_field_errors()
    {
        var m = M();
        using (var officer = api.As("ward-officer", "04795"))
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"/api/v1/reports/payments?from={m}&to={m}")).StatusCode);
        using (var chair = api.As("ward-chair", "04795"))
            Assert.Equal(HttpStatusCode.Forbidden, (await chair.GetAsync($"/api/v1/reports/payments?from={m}&to={m}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync($"/api/v1/reports/payments?from={m}&to={m}")).StatusCode);
        using (var admin = api.As("administrator"))
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/reports/payments?from={m}&to={m}")).StatusCode);

        using var province = api.As("provincial-officer");
        foreach (var (query, fields) in new[]
                 {
                     ("from=2026-05&to=2026-01&groupBy=galaxy&unpaidMonths=-1", new[] { "from", "groupBy", "unpaidMonths" }),
                     ("from=2026-13&unpaidMonths=25", ["from", "to", "unpaidMonths"]),
                     ("from=2026-01-01&to=2026-02&unpaidMonths=two", ["from", "unpaidMonths"]),
                     ("from=2010-01&to=2020-01", ["to"]),
                     ("", ["from", "to"]),
                 })
        {
            using var bad = await province.GetAsync("/api/v1/reports/payments?" + query);
            var problem = await bad.ReadJsonAsync();
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, query + ": " + problem);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.Equal(fields.Order(StringComparer.Ordinal), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        }
    }
}
