using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Papers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace OneStopWindow.Api.Tests.Features.Papers;

/// <summary>
/// The papers a dossier's events issue (issue 20, first step): Form 01 at filing, Forms 02-04 at their actions, the
/// decision and the control sheet at approval — read back from the PDF with PdfPig; rendered after the commit, stored
/// once, served as stored with the dossier's access rules.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaperTests(ApiFactory api, ITestOutputHelper output) : IDisposable
{
    private const string Ward = "04795";
    private const string Name = "Nguyễn Thị Lựu";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-papers");
    private const string ChairName = "Hoàng Minh Tuấn";
    private readonly HttpClient chair = NamedStaff(api, "ward-chair", ChairName);
    private readonly HttpClient otherWard = api.As("ward-officer", "04799", subject: "officer-papers-other");

    public void Dispose()
    {
        anonymous.Dispose();
        officer.Dispose();
        chair.Dispose();
        otherWard.Dispose();
    }

    private static HttpClient NamedStaff(ApiFactory api, string role, string name)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Api.Infrastructure.Auth.TokenCommand.Mint(new Api.Infrastructure.Auth.AuthOptions(), role, Ward,
            null, "chair-papers", name, TimeSpan.FromHours(1)));
        return client;
    }

    private static ADossier AtCounter() => ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).With("channel", "counter");

    private static async Task<(Receipt Receipt, string Link)> FileAtCounterAsync(HttpClient staff)
    {
        var receipt = await AtCounter().SubmitAsync(staff);
        return (receipt, receipt.Json.GetProperty("receiptPaper").GetString()!);
    }

    /// <summary>Asks for the paper until it is ready; every answer before that must be 202 with Retry-After.</summary>
    private static async Task<byte[]> PdfAsync(HttpClient client, string link, string? secret = null) =>
        await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            if (secret is not null) request.Headers.Add("X-Tracking-Secret", secret);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
                return null;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsByteArrayAsync();
        }, bytes => bytes is not null, TimeSpan.FromSeconds(20), $"paper {link}") ?? [];

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    private static async Task<JsonElement> PapersAsync(HttpClient client, string code, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{code}/papers");
        if (secret is not null) request.Headers.Add("X-Tracking-Secret", secret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("papers");
    }

    private static string Local(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_counter_filing_links_its_receipt_which_is_a_Form_01_PDF_with_the_name_code_and_dates()
    {
        var (receipt, link) = await FileAtCounterAsync(officer);
        // Asked at once, before intake has routed the dossier: the receiving counter may print it (202 until rendered, then 200).
        Assert.StartsWith($"/api/v1/dossiers/{receipt.Code}/papers/", link, StringComparison.Ordinal);

        var pdf = await PdfAsync(officer, link);
        var text = Text(pdf);
        Assert.Contains(Name, text, StringComparison.Ordinal);
        Assert.Contains(receipt.Code, text, StringComparison.Ordinal);
        var appointment = DateOnly.Parse(receipt.Json.GetProperty("appointmentDate").GetString()!, CultureInfo.InvariantCulture);
        Assert.Contains("ngày " + Local(appointment), text, StringComparison.Ordinal);
        var received = TimeZoneInfo.ConvertTime(receipt.Json.GetProperty("receivedAt").GetDateTimeOffset(), Domain.Calendar.Appointment.VietnamTime);
        Assert.Contains(received.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", text, StringComparison.Ordinal);
        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text, StringComparison.Ordinal);
        Assert.Contains("Độc lập - Tự do - Hạnh phúc", text, StringComparison.Ordinal);
        Assert.Contains("UBND PHƯỜNG HÒA BÌNH", text, StringComparison.Ordinal);
        Assert.DoesNotContain(receipt.Json.GetProperty("trackingSecret").GetString()!, text, StringComparison.Ordinal);

        // Listed with its hash, and the hash is on the timeline the applicant reads.
        var listed = (await PapersAsync(anonymous, receipt.Code, receipt.Secret)).EnumerateArray().Single();
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        Assert.Equal("receipt", listed.GetProperty("kind").GetString());
        Assert.Equal(sha, listed.GetProperty("sha256").GetString());
        Assert.Equal(link, listed.GetProperty("href").GetString());
        var timeline = await receipt.TimelineAsync(anonymous);
        Assert.Contains(timeline.GetProperty("events").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "PaperIssued" && e.GetProperty("note").GetString()!.Contains(sha, StringComparison.Ordinal));
        // The holder of the secret gets the same stored bytes.
        Assert.Equal(pdf, await PdfAsync(anonymous, link, receipt.Secret));
    }

    [Fact]
    public async Task The_papers_follow_the_dossiers_access_rules()
    {
        var (receipt, link) = await FileAtCounterAsync(officer);
        await PdfAsync(officer, link);

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, link))
        {
            wrong.Headers.Add("X-Tracking-Secret", "AAAAA-BBBBB-CCCCC-DDDDD");
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SendAsync(wrong)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherWard.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherWard.GetAsync($"/api/v1/dossiers/{receipt.Code}/papers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/v1/dossiers/{receipt.Code}/papers/{Guid.NewGuid()}")).StatusCode);

        var reader = await api.RegisterClientAsync(["dossiers:read"]);
        using (var withoutScope = api.WithKey(reader.Key))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await withoutScope.GetAsync(link)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await withoutScope.GetAsync($"/api/v1/dossiers/{receipt.Code}/papers")).StatusCode);
        }
        var documents = await api.RegisterClientAsync(["documents:read"]);
        using (var withScope = api.WithKey(documents.Key))
            Assert.Equal(HttpStatusCode.OK, (await withScope.GetAsync(link)).StatusCode);

        // The staff read is in the applicant's access log.
        var dossierId = await api.ScalarAsync<string>("SELECT id FROM dossier WHERE code = @Code", new { receipt.Code });
        var logged = await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE kind = 'paper' AND subject_id = @Id", new { Id = dossierId }),
            n => n > 0, TimeSpan.FromSeconds(10), "the access-log entry");
        Assert.True(logged > 0);
    }

    [Fact]
    public async Task A_paper_not_rendered_when_its_worker_died_is_rendered_later_with_the_same_bytes_and_answers_202_until_then()
    {
        var (receipt, link) = await FileAtCounterAsync(officer);
        var first = await PdfAsync(officer, link);
        var paperId = Guid.Parse(link[(link.LastIndexOf('/') + 1)..]);

        // By construction, the state a crash right after the filing's commit leaves: the paper row without content, its
        // step pending (and, so that the 202 can be seen, not yet due); no PaperIssued on the timeline.
        await ExecuteAsync("""
            UPDATE dossier_paper SET content = NULL, size_bytes = NULL, sha256 = NULL, rendered_at = NULL WHERE id = @Id;
            DELETE FROM dossier_event WHERE kind = 'PaperIssued' AND dossier_id = (SELECT dossier_id FROM dossier_paper WHERE id = @Id);
            UPDATE workflow_step SET status = 'pending', claim = NULL, enqueued_at = NULL, completed_at = NULL, due_at = @Later WHERE kind = @Step;
            """, new { Id = paperId.ToString(), Step = PaperQueue.StepName(paperId), Later = api.Clock.GetUtcNow().AddDays(30) });
        using (var response = await officer.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }
        Assert.False((await PapersAsync(officer, receipt.Code))[0].GetProperty("ready").GetBoolean());

        await ExecuteAsync("UPDATE workflow_step SET due_at = NULL WHERE kind = @Step", new { Step = PaperQueue.StepName(paperId) });
        api.Services.GetRequiredService<WorkflowSignal>().StepsWritten();
        var again = await PdfAsync(officer, link);
        Assert.Equal(first, again);   // deterministic: the same paper renders to the same bytes
        Assert.Equal(1, (await receipt.AllEventKindsAsync(officer)).Count(k => k == "PaperIssued"));
    }

    [Fact]
    public async Task Forms_02_to_04_carry_the_items_reasons_and_dates()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        await receipt.DoAsync(officer, "claim");
        await receipt.DoAsync(officer, "supplement-request", new
        {
            items = new[] { new { documentCode = (string?)null, description = "Bản sao Giấy chứng nhận khuyết tật còn hiệu lực" } },
        });
        var supplement = await PaperAsync(receipt, "supplement-request");
        Assert.Contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", supplement, StringComparison.Ordinal);
        Assert.Contains("Bản sao Giấy chứng nhận khuyết tật còn hiệu lực", supplement, StringComparison.Ordinal);
        Assert.Contains(Name, supplement, StringComparison.Ordinal);
        Assert.Contains(receipt.Code, supplement, StringComparison.Ordinal);

        var refused = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).SubmitAsync(anonymous);
        await refused.AfterIntakeAsync(anonymous);
        await refused.DoAsync(officer, "reception-refusal", new { reason = "outside-competence", explanation = "Thuộc thẩm quyền của Sở Y tế tỉnh Phú Thọ." });
        var refusal = await PaperAsync(refused, "refusal");
        Assert.Contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", refusal, StringComparison.Ordinal);
        Assert.Contains("Thuộc thẩm quyền của Sở Y tế tỉnh Phú Thọ.", refusal, StringComparison.Ordinal);
        Assert.Contains(refused.Code, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_04_carries_the_reason_and_both_dates()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        await receipt.DoAsync(officer, "claim");
        var due = DateOnly.Parse((await receipt.StatusAsync(officer)).GetProperty("appointmentDate").GetString()!, CultureInfo.InvariantCulture);
        // The first working day a week or more after the current date (a day off answers 400).
        DateOnly? newDate = null;
        for (var d = due.AddDays(7); newDate is null && d < due.AddDays(30); d = d.AddDays(1))
        {
            using var response = await receipt.ActAsync(officer, "delay-notice",
                new { reason = "Chờ kết quả xác minh của Công an xã", newAppointmentDate = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
            if (response.IsSuccessStatusCode) newDate = d;
            else Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var apology = await PaperAsync(receipt, "apology", anonymous, receipt.Secret);
        Assert.Contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", apology, StringComparison.Ordinal);
        Assert.Contains("Chờ kết quả xác minh của Công an xã", apology, StringComparison.Ordinal);
        Assert.Contains(Local(due), apology, StringComparison.Ordinal);
        Assert.Contains(Local(newDate!.Value), apology, StringComparison.Ordinal);
        Assert.Contains(Name, apology, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_decision_names_the_beneficiary_amount_month_number_and_chair_and_the_control_sheet_lists_the_steps()
    {
        const string elder = "Trần Văn Đức";
        var id = string.Create(CultureInfo.InvariantCulture, $"025048{700000 + Random.Shared.Next(99999):000000}");
        var receipt = await ADossier.Valid().ForPerson(id).LivingIn(Ward).With("procedureCode", "BTXH-05").With("applicant.fullName", elder)
            .With("applicant.dateOfBirth", "1948-02-01")
            .With("formFields", new System.Text.Json.Nodes.JsonObject
            {
                ["eligibilityBasis"] = "age-75-plus",
                ["receivesMonthlyPensionOrInsurance"] = false,
                ["receivesMonthlySocialAllowance"] = false,
            })
            .SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        await receipt.DoAsync(officer, "claim");
        await receipt.DoAsync(officer, "verification", new { findings = "Đối chiếu CSDL dân cư: khớp." });
        await receipt.DoAsync(officer, "forwarding", new { note = "Trình Chủ tịch." });
        var decided = (await receipt.DoAsync(chair, "approval", new { })).GetProperty("decision");
        var number = decided.GetProperty("number").GetString()!;
        var month = decided.GetProperty("effectiveMonth").GetString()!;

        var text = await PaperAsync(receipt, "decision", officer);
        Assert.Contains("QUYẾT ĐỊNH", text, StringComparison.Ordinal);
        Assert.Contains("Số: " + number, text, StringComparison.Ordinal);
        Assert.Contains(elder, text, StringComparison.Ordinal);
        Assert.Contains("500.000 đồng/tháng", text, StringComparison.Ordinal);
        Assert.Contains($"từ tháng {month[5..]}/{month[..4]}", text, StringComparison.Ordinal);
        Assert.Contains("CHỦ TỊCH", text, StringComparison.Ordinal);
        Assert.Contains(ChairName, text, StringComparison.Ordinal);
        Assert.Contains("Căn cứ", text, StringComparison.Ordinal);
        Assert.Contains(receipt.Code, text, StringComparison.Ordinal);
        Assert.Contains(PaperRenderer.DateLine("Hòa Bình", DateTimeOffset.Parse(decided.GetProperty("date").GetString()! + "T12:00:00+07:00", CultureInfo.InvariantCulture)),
            text, StringComparison.Ordinal);

        var sheet = await PaperAsync(receipt, "control-sheet", officer);
        Assert.Contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", sheet, StringComparison.Ordinal);
        Assert.Contains("Tiếp nhận hồ sơ", sheet, StringComparison.Ordinal);
        Assert.Contains("Trình Chủ tịch UBND", sheet, StringComparison.Ordinal);
        Assert.Contains("Đúng hạn", sheet, StringComparison.Ordinal);

        // A secret holder does not see the beneficiary and the amount: the decision is neither listed nor served to them.
        var listed = await PapersAsync(anonymous, receipt.Code, receipt.Secret);
        var decision = (await PapersAsync(officer, receipt.Code)).EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "decision");
        Assert.DoesNotContain(listed.EnumerateArray(), p => p.GetProperty("kind").GetString() == "decision");
        using var asHolder = new HttpRequestMessage(HttpMethod.Get, decision.GetProperty("href").GetString());
        asHolder.Headers.Add("X-Tracking-Secret", receipt.Secret);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SendAsync(asHolder)).StatusCode);
    }

    /// <summary>The benchmark note (not a timed assertion): p50/p99 of rendering a receipt, printed to the test output.</summary>
    [Fact]
    public async Task Rendering_a_receipt_twice_gives_the_same_bytes_and_its_time_is_reported()
    {
        var (_, link) = await FileAtCounterAsync(officer);
        await PdfAsync(officer, link);
        var paperId = Guid.Parse(link[(link.LastIndexOf('/') + 1)..]);
        var db = api.Services.GetRequiredService<Db>();
        var row = await db.SingleOrDefaultAsync<PaperRow>(RenderPaperHandler.Sql.Paper, new { Id = paperId }, CancellationToken.None);
        var source = await PaperSources.LoadAsync(db, api.Services.GetRequiredService<PersonalData>(), row!, CancellationToken.None);
        var one = PaperRenderer.Render(PaperComposer.Compose(source));
        Assert.Equal(one, PaperRenderer.Render(PaperComposer.Compose(source)));
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(one, 0, 5), StringComparison.Ordinal);

        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            PaperRenderer.Render(PaperComposer.Compose(source));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Receipt (Form 01) rendering over 200 runs: p50 {times[99]:0.00} ms, p99 {times[197]:0.00} ms, {one.Length} bytes"));
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } folder) await File.WriteAllBytesAsync(Path.Combine(folder, "receipt.pdf"), one);
    }

    private async Task<string> PaperAsync(Receipt receipt, string kind, HttpClient? reader = null, string? secret = null)
    {
        reader ??= anonymous;
        secret ??= reader == anonymous ? receipt.Secret : null;
        var paper = await Eventually.ReturnsAsync(async () => (await PapersAsync(reader, receipt.Code, secret)).EnumerateArray()
            .FirstOrDefault(p => p.GetProperty("kind").GetString() == kind), p => p.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), kind);
        var pdf = await PdfAsync(reader, paper.GetProperty("href").GetString()!, secret);
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } folder) await File.WriteAllBytesAsync(Path.Combine(folder, kind + ".pdf"), pdf);
        return Text(pdf);
    }

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath};Default Timeout=30");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql, args);
    }
}
