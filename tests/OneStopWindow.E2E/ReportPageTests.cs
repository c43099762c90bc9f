using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.E2E.Support;
using Xunit.Abstractions;

namespace OneStopWindow.E2E;

/// <summary>
/// The leaders' page /reports in a real headless Chromium against the real executable: with live data (dossiers filed
/// and decided through the API in an urban ward and a mountainous commune, the urban ward's payment list approved) it
/// draws its charts and tables, the payment figures as the payment report answers them, without script errors; without a valid token it shows why and draws nothing.
/// </summary>
public sealed class ReportPageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-e2e-reports-").FullName;

    [BrowserFact]
    public async Task The_report_page_draws_its_charts_from_live_data_without_script_errors()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Browser.ChromiumPath, Headless = true });
        await using var service = await ServiceProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
            ["Jobs:WorkerCount"] = "2",
        });

        // Live data: three dossiers in Phường Hòa Bình (urban), two in Xã Đà Bắc (mountainous); three decided.
        var decided = 0;
        foreach (var ward in new[] { "04795", "04795", "04795", "04831", "04831" })
        {
            var receipt = await ADossier.Valid().LivingIn(ward).SubmitAsync(service.Client);
            await receipt.AfterIntakeAsync(service.Client, TimeSpan.FromSeconds(60));
            if (decided == 3) continue;
            using var officer = Client(service, TokenCommand.Mint(new AuthOptions(), "ward-officer", ward, null, "officer-" + ward, null, TimeSpan.FromHours(1)));
            using var chair = Client(service, TokenCommand.Mint(new AuthOptions(), "ward-chair", ward, null, "chair-" + ward, null, TimeSpan.FromHours(1)));
            await receipt.DoAsync(officer, "claim");
            await receipt.DoAsync(officer, "forwarding", new { });
            await receipt.DoAsync(chair, "approval", new { });
            decided++;
        }
        var token = TokenCommand.Mint(new AuthOptions(), "provincial-officer", null, null, "leader-1", null, TimeSpan.FromHours(1));
        using var province = Client(service, token);
        var year = DateTime.UtcNow.AddHours(7).Year;
        await Eventually.ReturnsAsync(() => province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/indicators?from={year}-01-01&to={year}-12-31"),
            r => r.GetProperty("resolved").GetInt32() == 3, TimeSpan.FromSeconds(30), "the report table to follow the decisions");

        var payments = await PaymentsAsync(service, "04795");

        var page = await browser.NewPageAsync(new() { BaseURL = service.Client.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1200 } });
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            output.WriteLine($"console {m.Type}: {m.Text}");
            if (m.Type == "error" && !m.Text.Contains("favicon", StringComparison.OrdinalIgnoreCase)) lock (errors) errors.Add(m.Text);
        };
        page.PageError += (_, e) => { lock (errors) errors.Add("uncaught: " + e); };
        try
        {
            // No token yet: nothing is drawn, the page says what is missing.
            await page.GotoAsync("/reports");
            Assert.EndsWith("/reports/index.html", page.Url, StringComparison.Ordinal);
            Assert.Equal("signed-out", await page.Locator("body").GetAttributeAsync("data-state"));

            await page.FillAsync("#token", "not-a-token");
            await page.FillAsync("#from", $"{year}-01-01");
            await page.FillAsync("#to", $"{year}-12-31");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "error");
            await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("không hợp lệ");
            errors.Clear();   // the browser logs the refused request (401) itself; that is the expected path

            await page.FillAsync("#token", token);
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 30_000 });

            Assert.Equal("100.0 %", await page.InnerTextAsync("#kpi-ontime"));   // decided today, well before their appointments
            Assert.Equal("5 / 3", await page.InnerTextAsync("#kpi-volume"));
            foreach (var chart in new[] { "chart-ontime", "chart-backlog", "chart-waiting", "chart-equity" })
                Assert.True(int.Parse(await page.Locator("#" + chart).GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0, chart + " drew no point");
            // The charts really painted: the canvas holds non-blank pixels.
            var painted = await page.EvaluateAsync<bool>("""
                () => ['chart-ontime', 'chart-equity'].every(id => {
                  const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
                  return false;
                })
                """);
            Assert.True(painted);
            // The payment section: the figures the payment report answers, for the urban ward's approved list.
            var report = await province.GetFromJsonAsync<JsonElement>($"/api/v1/reports/payments?from={year}-01&to={year}-12&groupBy=zone");
            var urban = report.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("group").GetString() == "urban");
            Assert.Equal(payments.Lines, urban.GetProperty("issuedLines").GetInt32());
            Assert.Equal(1, urban.GetProperty("paidLines").GetInt32());
            var zoneRows = await page.Locator("#payments-zones tbody tr").AllInnerTextsAsync();
            var urbanRow = Assert.Single(zoneRows, r => r.StartsWith("Đô thị", StringComparison.Ordinal)).Split('\t');
            Assert.Equal([Vnd(payments.Lines), Vnd(payments.TotalVnd), "1", Vnd(urban.GetProperty("paidVnd").GetInt64()), "0", Vnd(payments.Lines - 1)],
                urbanRow[1..7]);
            Assert.Equal("0.0 %", urbanRow[7]);   // post-office cash only
            Assert.Contains(zoneRows, r => r.StartsWith("Toàn tỉnh", StringComparison.Ordinal));
            var monthRow = Assert.Single(await page.Locator("#payments-months tbody tr").AllInnerTextsAsync()).Split('\t');
            Assert.Equal([payments.Month, Vnd(payments.Lines), Vnd(payments.TotalVnd), "1"], monthRow[..4]);
            Assert.Equal(2, await page.Locator("#payments-zones caption, #payments-months caption").CountAsync());

            var rows = await page.Locator("#wards tbody tr").AllInnerTextsAsync();
            Assert.Contains(rows, r => r.Contains("04795", StringComparison.Ordinal) && r.Contains("Phường Hòa Bình", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains("04831", StringComparison.Ordinal));
            await page.ScreenshotAsync(new() { Path = Shot("reports.png"), FullPage = true });
        }
        catch
        {
            try { await page.ScreenshotAsync(new() { Path = Shot("reports-failed.png"), FullPage = true }); }
            catch (PlaywrightException e) { output.WriteLine("no failure screenshot: " + e.Message); }
            throw;
        }
        lock (errors) Assert.True(errors.Count == 0, "browser console errors:\n" + string.Join('\n', errors));
    }

    /// <summary>As the page prints amounts (vi-VN: "." between thousands).</summary>
    private static string Vnd(long value) => value.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture).Replace(',', '.');

    /// <summary>
    /// The ward's payment list for this month, drafted and approved by its chair through the API; every line is given
    /// post-office cash and one line is reported paid straight in the database (the payer's results upload is built on
    /// another branch).
    /// </summary>
    private async Task<(string Month, int Lines, long TotalVnd)> PaymentsAsync(ServiceProcess service, string ward)
    {
        var month = DateTime.UtcNow.AddHours(7).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        using var chair = Client(service, TokenCommand.Mint(new AuthOptions(), "ward-chair", ward, null, "chair-" + ward, null, TimeSpan.FromHours(1)));
        async Task<JsonElement> DraftAsync()
        {
            using var r = await chair.PostAsync($"/api/v1/wards/{ward}/payment-lists/{month}/generation", null);
            var json = (await r.Content.ReadFromJsonAsync<JsonElement>()).Clone();
            Assert.True(r.IsSuccessStatusCode, json.ToString());
            return json;
        }
        var draft = await DraftAsync();
        var db = $"Data Source={Path.Combine(folder, "app.db")}";
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(db))
        {
            await connection.OpenAsync();
            var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO payment_method (id, person_id_hash, entitlement_id, method, post_office_point, version, created_at, updated_at)
                SELECT lower(hex(randomblob(16))), e.person_id_hash, NULL, 'post-office-cash', 'Bưu điện xã', 1, @Now, @Now
                FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id WHERE l.list_id = @Id AND l.method = 'unknown'
                """, new { Id = draft.GetProperty("id").GetString(), Now = now });
        }
        draft = await DraftAsync();
        var lines = draft.GetProperty("lineCount").GetInt32();
        Assert.True(lines >= 2, draft.ToString());
        using var approval = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-lists/{draft.GetProperty("id").GetString()}/approval");
        approval.Headers.TryAddWithoutValidation("If-Match", $"\"{draft.GetProperty("version").GetInt32()}\"");
        using (var approved = await chair.SendAsync(approval)) Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(db))
        {
            await connection.OpenAsync();
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(connection,
                "UPDATE payment_line SET result = 'paid', result_at = @Now WHERE id = (SELECT MIN(id) FROM payment_line WHERE list_id = @Id)",
                new { Id = draft.GetProperty("id").GetString(), Now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }));
        }
        return (month, lines, draft.GetProperty("totalVnd").GetInt64());
    }

    private static HttpClient Client(ServiceProcess service, string token)
    {
        var client = new HttpClient { BaseAddress = service.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private string Shot(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
