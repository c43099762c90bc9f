using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Reports;

/// <summary>
/// Reports on a generated dataset (March 2031, apart from every other test's dossiers) equal the figures computed
/// here from how the dataset was made. The dossiers and their outbox events are written straight into the database;
/// the service's projector turns them into the report table, exactly as it does for real changes.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class ReportTests(ApiFactory api)
{
    private static readonly string[] Wards = ["04795", "04828", "04831", "04846"];
    private static readonly string[] Procedures = ["BTXH-01", "BTXH-05", "BHYT-01"];
    private static readonly string[] Channels = ["online", "counter", "postal"];

    private sealed record Generated(string Code, string Ward, string Procedure, string Channel, string Kind, int DecidedAfter, bool Late,
        int Supplements, int? Rating, DateOnly Received);

    private static bool Decided(Generated g) => g.Kind is "granted" or "denied";

    private static bool OnTime(Generated g) => Decided(g) && g.DecidedAfter <= 3 && !g.Late;

    private static List<Generated> Make(int count)
    {
        var random = new Random(2031);
        var mondays = new[] { 3, 10, 17, 24 }.Select(d => new DateOnly(2031, 3, d)).ToArray();   // no holiday in March 2031
        return Enumerable.Range(1, count).Select(i =>
        {
            var kind = (i % 10) switch { < 4 => "granted", < 6 => "denied", 6 => "withdrawn", _ => "open" };
            var after = 1 + random.Next(4);   // decided Tuesday … Friday of the same week: 1–4 working days
            return new Generated($"25-310301-{i:0000}", Wards[random.Next(Wards.Length)], Procedures[random.Next(Procedures.Length)],
                Channels[random.Next(Channels.Length)], kind, after, kind != "open" && after <= 3 && random.Next(10) == 0, random.Next(3),
                kind is "granted" or "denied" && random.Next(3) > 0 ? 1 + random.Next(3) : null, mondays[random.Next(mondays.Length)]);
        }).ToList();
    }

    private async Task InsertAsync(IReadOnlyList<Generated> data)
    {
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var vn = TimeSpan.FromHours(7);
        foreach (var g in data)
        {
            var id = Guid.NewGuid().ToString("D");
            var received = new DateTimeOffset(g.Received.ToDateTime(new TimeOnly(9, 0)), vn);
            var decided = g.Received.AddDays(g.DecidedAfter);
            var status = g.Kind switch { "granted" or "denied" => "ResultReady", "withdrawn" => "Withdrawn", _ => "InVerification" };
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO dossier (id, code, procedure_code, status, channel, received_unit_code, applicant_name, applicant_birth_date, applicant_id_number,
                    applicant_phone, residence_era, residence_code, handling_ward_code, form_data, tracking_secret_hash, received_at, appointment_date,
                    processing_days, version, updated_at, outcome, supplement_count, overdue_since, decision_number, decision_date, decision_json, rating, completed_at)
                VALUES (@Id, @Code, @Procedure, @Status, @Channel, '25', 'Người Thử Báo Cáo', '1950-01-01', '025150999999', '0912345678', 'current', @Ward, @Ward,
                    '{}', 'x', @Received, @Appointment, 3, 5, @Received, @Outcome, @Supplements, @Overdue, @Number, @Decided, @Json, @Rating, @Completed)
                """, new
            {
                Id = id,
                g.Code,
                g.Procedure,
                Status = status,
                g.Channel,
                g.Ward,
                Received = received.ToString("O", CultureInfo.InvariantCulture),
                Appointment = g.Received.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Outcome = g.Kind switch { "granted" => "Granted", "denied" => "Denied", _ => null },
                g.Supplements,
                Overdue = g.Late ? received.AddDays(4).ToString("O", CultureInfo.InvariantCulture) : null,
                Number = Decided(g) ? "1/QĐ-UBND" : null,
                Decided = Decided(g) ? decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                Json = g.Kind == "granted" ? """{"outcome":"Granted","amountVnd":750000,"monthly":true}""" : null,
                g.Rating,
                Completed = g.Kind == "withdrawn" ? received.AddDays(1).ToString("O", CultureInfo.InvariantCulture) : null,
            }, tx);
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO integration_event (id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at)
                VALUES (@EventId, @Id, @Code, @Procedure, @Ward, NULL, 'Generated', @Status, 5, @At)
                """, new { EventId = Guid.NewGuid().ToString("D"), Id = id, g.Code, g.Procedure, g.Ward, Status = status, At = received.ToString("O", CultureInfo.InvariantCulture) }, tx);
        }
        await tx.CommitAsync();
    }

    [Fact]
    public async Task Reports_equal_the_figures_computed_from_the_dataset_and_csv_parses_back_to_them()
    {
        var data = Make(2000);
        _ = api.Services;   // the host (and so the migrated database) exists before rows are written into it
        await InsertAsync(data);
        using var province = api.As("provincial-officer");
        const string Period = "from=2031-03-01&to=2031-03-31";

        var byWard = await Eventually.ReturnsAsync(() => province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?{Period}&groupBy=ward"),
            r => r.GetProperty("total").GetProperty("received").GetInt32() == data.Count, TimeSpan.FromSeconds(60), "the projector to catch up");

        foreach (var line in byWard.GetProperty("lines").EnumerateArray())
        {
            var mine = data.Where(g => g.Ward == line.GetProperty("group").GetString()).ToList();
            var decided = mine.Where(Decided).ToList();
            Assert.Equal(mine.Count, line.GetProperty("received").GetInt32());
            Assert.Equal(decided.Count, line.GetProperty("resolved").GetInt32());
            Assert.Equal(decided.Count(OnTime), line.GetProperty("onTime").GetInt32());
            Assert.Equal(decided.Count - decided.Count(OnTime), line.GetProperty("late").GetInt32());
            Assert.Equal(Math.Round((decimal)decided.Sum(g => g.DecidedAfter) / decided.Count, 2), line.GetProperty("averageWorkingDaysToDecide").GetDecimal());
            Assert.Equal(mine.Sum(g => g.Supplements), line.GetProperty("supplementsRequested").GetInt32());
            Assert.Equal(mine.Count(g => g.Kind == "denied"), line.GetProperty("rejections").GetInt32());
            Assert.Equal(mine.Count(g => g.Kind == "withdrawn"), line.GetProperty("withdrawals").GetInt32());
            Assert.Equal(mine.Count(g => g.Kind == "granted"), line.GetProperty("beneficiaries").GetInt32());
            Assert.Equal(mine.Count(g => g.Kind == "granted") * 750_000L, line.GetProperty("monthlyAmountVnd").GetInt64());
            var rated = decided.Where(g => g.Rating is not null).ToList();
            Assert.Equal(rated.Count, line.GetProperty("rated").GetInt32());
            Assert.Equal(Math.Round((decimal)rated.Count(g => g.Rating >= 2) / rated.Count, 4), line.GetProperty("satisfaction").GetDecimal());
        }
        Assert.Equal(Wards.Order().ToList(), byWard.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("group").GetString()!).ToList());

        // The national indicators come from the same data.
        var indicators = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/indicators?{Period}");
        var allDecided = data.Where(Decided).ToList();
        Assert.Equal(Math.Round((decimal)allDecided.Count(OnTime) / allDecided.Count, 4), indicators.GetProperty("onTimeRate").GetDecimal());
        Assert.Equal(Math.Round((decimal)data.Count(g => g.Channel == "online") / data.Count, 4), indicators.GetProperty("onlineShare").GetDecimal());

        // By procedure and channel: the groups add up to the same total.
        foreach (var grouping in new[] { "procedure", "channel", "zone" })
        {
            var report = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?{Period}&groupBy={grouping}");
            Assert.Equal(data.Count, report.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("received").GetInt32()));
            Assert.Equal(allDecided.Count(OnTime), report.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("onTime").GetInt32()));
        }
        var byProcedure = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?{Period}&groupBy=procedure");
        Assert.All(byProcedure.GetProperty("lines").EnumerateArray(), l =>
            Assert.Equal(data.Count(g => g.Procedure == l.GetProperty("group").GetString()), l.GetProperty("received").GetInt32()));

        // The CSV export parses back to the same numbers.
        using var csvResponse = await province.GetAsync($"/api/v1/reports/summary?{Period}&groupBy=ward&format=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        using var reader = new StringReader(await csvResponse.Content.ReadAsStringAsync());
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(Wards.Length + 1, rows.Count);
        foreach (var line in byWard.GetProperty("lines").EnumerateArray().Append(byWard.GetProperty("total")))
        {
            var row = rows.Single(r => (string)r["Group"] == line.GetProperty("group").GetString());
            foreach (var field in new[] { "Received", "Resolved", "OnTime", "Late", "SupplementsRequested", "Rejections", "Withdrawals", "Beneficiaries", "MonthlyAmountVnd" })
                Assert.Equal(line.GetProperty(JsonNamingPolicy.CamelCase.ConvertName(field)).ToString(), (string)row[field]);
        }

        // Month by month: March's figures, and the backlog it added (open dossiers at its end).
        var trend = await province.GetFromJsonAsync<JsonElement>("/api/v1/reports/trend?from=2031-02-01&to=2031-03-31");
        var feb = trend.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("month").GetString() == "2031-02");
        var mar = trend.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("month").GetString() == "2031-03");
        Assert.Equal(data.Count, mar.GetProperty("received").GetInt32());
        Assert.Equal(allDecided.Count, mar.GetProperty("resolved").GetInt32());
        Assert.Equal(data.Count(g => g.Kind == "open"), mar.GetProperty("backlog").GetInt32() - feb.GetProperty("backlog").GetInt32());

        // Periods with partial months at either end (day rows) or none whole at all: the same figures as counted here.
        foreach (var (from, to) in new[] { (new DateOnly(2031, 3, 5), new DateOnly(2031, 3, 20)), (new DateOnly(2031, 2, 20), new DateOnly(2031, 3, 12)),
                     (new DateOnly(2031, 3, 11), new DateOnly(2031, 4, 15)), (new DateOnly(2031, 1, 1), new DateOnly(2031, 4, 30)) })
        {
            var partial = await province.GetFromJsonAsync<JsonElement>(
                string.Create(CultureInfo.InvariantCulture, $"/api/v1/reports/summary?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
            var total = partial.GetProperty("total");
            Assert.Equal(data.Count(g => g.Received >= from && g.Received <= to), total.GetProperty("received").GetInt32());
            var decidedIn = allDecided.Where(g => g.Received.AddDays(g.DecidedAfter) is var d && d >= from && d <= to).ToList();
            Assert.Equal(decidedIn.Count, total.GetProperty("resolved").GetInt32());
            Assert.Equal(decidedIn.Count(OnTime), total.GetProperty("onTime").GetInt32());
        }

        // The incrementally kept summary equals one rebuilt from the report rows.
        const string Snapshot = """
            SELECT grain || period || ward_code || procedure_code || channel || ':' || received || ',' || supplements || ',' || withdrawals || ','
                   || objections || ',' || resolved || ',' || on_time || ',' || working_days || ',' || rejections || ',' || beneficiaries || ','
                   || amount || ',' || rated || ',' || satisfied || ',' || closed || ',' || refusals
            FROM report_summary
            WHERE received <> 0 OR supplements <> 0 OR withdrawals <> 0 OR objections <> 0 OR resolved <> 0 OR on_time <> 0 OR working_days <> 0
               OR rejections <> 0 OR beneficiaries <> 0 OR amount <> 0 OR rated <> 0 OR satisfied <> 0 OR closed <> 0 OR refusals <> 0
            ORDER BY 1
            """;
        await Eventually.ReturnsAsync(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
            var kept = (await Dapper.SqlMapper.QueryAsync<string>(connection, Snapshot)).ToList();
            await OneStopWindow.Api.Features.Reports.ReportSummary.RebuildAsync(
                api.Services.GetRequiredService<OneStopWindow.Api.Infrastructure.Data.Db>(), CancellationToken.None);
            var rebuilt = (await Dapper.SqlMapper.QueryAsync<string>(connection, Snapshot)).ToList();
            return kept.SequenceEqual(rebuilt) && kept.Count > 0;
        }, same => same, TimeSpan.FromSeconds(30), "the kept summary to equal a rebuilt one");

        // Equity: applications per thousand inhabitants per zone, where the population is known.
        var zones = await province.GetFromJsonAsync<JsonElement>("/api/v1/zones");
        var zoneOf = zones.EnumerateArray().ToDictionary(z => z.GetProperty("wardCode").GetString()!, z => z);
        var equity = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/equity?{Period}");
        foreach (var line in equity.GetProperty("zones").EnumerateArray())
        {
            var zone = line.GetProperty("zone").GetString();
            var wardsInZone = zoneOf.Values.Where(z => z.GetProperty("zone").GetString() == zone).ToList();
            var known = wardsInZone.Where(z => z.GetProperty("population").ValueKind == JsonValueKind.Number).ToList();
            var received = data.Count(g => zoneOf[g.Ward].GetProperty("zone").GetString() == zone);
            Assert.Equal(received, line.GetProperty("received").GetInt32());
            if (known.Count == 0) continue;
            var population = known.Sum(z => z.GetProperty("population").GetInt64());
            var receivedKnown = data.Count(g => known.Any(k => k.GetProperty("wardCode").GetString() == g.Ward));
            Assert.Equal(Math.Round(receivedKnown * 1000m / population, 3), line.GetProperty("applicationsPerThousand").GetDecimal());
        }
    }

    [Fact]
    public async Task Reports_are_for_provincial_staff_and_bad_periods_are_field_errors()
    {
        using var officer = api.As("ward-officer", "04795");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/reports/summary?from=2026-01-01&to=2026-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/v1/reports/summary?from=2026-01-01&to=2026-12-31")).StatusCode);
        using var province = api.As("provincial-officer");
        using var bad = await province.GetAsync("/api/v1/reports/summary?from=2026-12-31&to=2026-01-01&groupBy=galaxy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("groupBy", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await province.GetAsync("/api/v1/reports/summary")).StatusCode);
    }
}
