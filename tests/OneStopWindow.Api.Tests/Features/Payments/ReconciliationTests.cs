using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// The payer's side of a payment list (issue 19, parts 3 and 4): the export of an approved list, the results sent back and
/// applied once, the months not paid carried to the next list, the per-line errors, who may send them, three months
/// unclaimed proposing a suspension, and the line events. Each test works in a ward of its own, one of
/// <see cref="ReservedWards.Reconciliation"/> (no import places anyone there).
/// </summary>
[Collection(ApiHost.Name)]
public sealed class ReconciliationTests(ApiFactory api)
{
    private static readonly string SecondKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly DateOnly Born = new(1944, 1, 20);   // 80 or over: 2.0 × 500,000 a month
    private const long Elderly = 1_000_000;
    private const string Csv = "text/csv";

    private string M(int plus = 0) => RegisterTests.MonthOf(api, plus);

    [Fact]
    public async Task An_approved_list_exports_as_csv_and_xlsx_with_the_exact_lines_and_nothing_else_the_same_bytes_every_time_and_a_draft_is_409()
    {
        const string Ward = "09040";
        using var officer = api.As("ward-officer", Ward);
        var (a, personA) = await ApprovedElderlyAsync(api, Ward);
        var (b, personB) = await ApprovedElderlyAsync(api, Ward);
        using (var put = await officer.PutAsJsonAsync($"/api/v1/entitlements/{b}/payment-method",
                   new { method = "bank-account", bankCode = "970405", bankName = "Agribank", accountNumber = "2700205012345", accountHolder = "Nguyễn Văn B" }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var draft = await GenerateAsync(officer, Ward, M());
        using (var r = await officer.GetAsync($"/api/v1/payment-lists/{draft.GetProperty("id").GetString()}/export?format=csv"))
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("payment-list-not-approved", (await r.ReadJsonAsync()).GetProperty("type").GetString()!.Split('/')[^1]);
        }
        var listId = (await ApprovedListAsync(api, Ward, M())).GetProperty("id").GetString()!;
        var lines = await LinesAsync(officer, listId);
        var lineA = LineIdOf(lines, a);
        var lineB = LineIdOf(lines, b);

        var csv = await ExportAsync(officer, listId, "csv");
        Assert.Equal(csv, await ExportAsync(officer, listId, "csv"));   // idempotent: the same bytes
        var xlsx = await ExportAsync(officer, listId, "xlsx");
        Assert.Equal(xlsx, await ExportAsync(officer, listId, "xlsx"));
        using (var byAccept = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/payment-lists/{listId}/export"))
        {
            byAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(PayerXlsxExport.ContentType));
            using var r = await officer.SendAsync(byAccept);
            Assert.Equal(xlsx, await r.Content.ReadAsByteArrayAsync());
        }
        using (var r = await officer.GetAsync($"/api/v1/payment-lists/{listId}/export?format=csv"))
        {
            Assert.Equal("text/csv", r.Content.Headers.ContentType!.MediaType);
            var disposition = r.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            Assert.Equal($"danh-sach-chi-tra-{Ward}-{M()}-{Guid.Parse(listId):N}.csv", disposition.FileName?.Trim('"'));
            Assert.DoesNotContain(personA, r.Headers.ToString() + r.Content.Headers.ToString(), StringComparison.Ordinal);
        }

        // Read back: the reader finds every line by id with its amount and identity number (the result is for the payer to fill).
        foreach (var file in new[] { csv, xlsx })
        {
            var rows = PayerResultReader.Read(new MemoryStream(file), new PayerFileOptions()).ToList();
            Assert.Equal(lines.Count, rows.Count);
            var rowA = Assert.Single(rows, r => r.LineId == lineA);
            Assert.Equal(Elderly, rowA.AmountVnd);
            Assert.Equal(personA, rowA.IdNumber);
            Assert.Equal(personB, Assert.Single(rows, r => r.LineId == lineB).IdNumber);
            Assert.All(rows, r => Assert.Equal("result-missing", Assert.Single(r.Errors).Code));
        }
        var nameA = await api.ScalarAsync<string>("SELECT full_name FROM entitlement WHERE id = @Id", new { Id = a });
        var grid = CsvGrid(csv);
        Assert.Equal(PayerColumns.All, grid[0]);
        Assert.Equal([lineA.ToString(), nameA, personA, "post-office-cash", "Bưu điện xã", "1000000", M(), M(), "", "", ""], RowOf(grid, lineA));
        Assert.Equal([personB, "bank-account", "Agribank 2700205012345", "1000000"], RowOf(grid, lineB)[2..6]);
        Assert.Equal(grid, XlsxGrid(xlsx));   // the same table in both
        var text = Encoding.UTF8.GetString(csv);
        foreach (var never in new[] { "elderly", "coefficient", "group", "2.0", "beneficiary" })
            Assert.DoesNotContain(never, text, StringComparison.OrdinalIgnoreCase);

        // The account is the one the chair approved: a change afterwards leaves the export as it was (it applies from the next list),
        // and the copy kept on the line is sealed at rest.
        using (var put = await officer.PutAsJsonAsync($"/api/v1/entitlements/{b}/payment-method",
                   new { method = "e-wallet", walletProvider = "VNPT Money", walletNumber = "0912345678" }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(csv, await ExportAsync(officer, listId, "csv"));
        Assert.Equal(xlsx, await ExportAsync(officer, listId, "xlsx"));
        var kept = await api.ScalarAsync<string>("SELECT payer_account FROM payment_line WHERE id = @Id", new { Id = lineB });
        Assert.True(PersonalData.IsSealed(kept));
        Assert.DoesNotContain("2700205012345", kept, StringComparison.Ordinal);
        // Rekey re-seals the kept copy with a rotated key (and back to the service's key, so the rest of the run reads it as before).
        var db = api.Services.GetRequiredService<Db>();
        static PersonalData With(string current)
        {
            var options = new PersonalDataOptions { CurrentKeyId = current };
            options.Keys["k-lines"] = SecondKey;
            return new PersonalData(Microsoft.Extensions.Options.Options.Create(options));
        }
        Assert.True(await PersonalDataRekey.PaymentLineAccountsAsync(db, With("k-lines"), CancellationToken.None) >= 1);
        var resealed = await api.ScalarAsync<string>("SELECT payer_account FROM payment_line WHERE id = @Id", new { Id = lineB });
        Assert.StartsWith("pd1.k-lines.", resealed, StringComparison.Ordinal);
        Assert.Equal("Agribank 2700205012345", With("k-lines").Open(new Sealed(resealed)));
        Assert.Equal(0, await PersonalDataRekey.PaymentLineAccountsAsync(db, With("k-lines"), CancellationToken.None));   // idempotent
        Assert.True(await PersonalDataRekey.PaymentLineAccountsAsync(db, With(PersonalDataOptions.DevelopmentKeyId), CancellationToken.None) >= 1);
        Assert.Equal(csv, await ExportAsync(officer, listId, "csv"));

        // Who may: another ward's staff 404, a citizen 403, a payer client of this ward with payments:read the same bytes,
        // of another ward 404, without the scope 403. Every export is access-logged.
        using (var r = await api.As("ward-officer", "09043").GetAsync($"/api/v1/payment-lists/{listId}/export")) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await api.As("citizen", idNumber: personA).GetAsync($"/api/v1/payment-lists/{listId}/export")) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var payer = await api.RegisterClientAsync(["payments:read"], wards: [Ward]);
        Assert.Equal(csv, await ExportAsync(api.WithKey(payer.Key), listId, "csv"));
        var elsewhere = await api.RegisterClientAsync(["payments:read"], wards: ["09043"]);
        using (var r = await api.WithKey(elsewhere.Key).GetAsync($"/api/v1/payment-lists/{listId}/export")) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var reader = await api.RegisterClientAsync(["events:read"]);
        using (var r = await api.WithKey(reader.Key).GetAsync($"/api/v1/payment-lists/{listId}/export")) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        await api.Services.GetRequiredService<AccessLogWriter>().FlushAsync(CancellationToken.None);
        Assert.True(await api.ScalarAsync<long>("SELECT COUNT(*) FROM access_log WHERE kind = 'payment-list-export' AND subject_kind = 'payment-list' AND subject_id = @Id",
            new { Id = listId }) >= 2);   // the officer and the payer
        Assert.Equal(1, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE kind = 'payment-list-export' AND subject_kind = 'entitlement' AND subject_id = @Id AND reader_id = @Reader",
            new { Id = b, Reader = "client:" + payer.Id.ToString("D") }));
    }

    [Fact]
    public async Task Results_settle_each_line_once_the_next_list_carries_exactly_the_months_not_paid_and_the_events_carry_ids_and_status_only()
    {
        const string Ward = "09043";
        using var officer = api.As("ward-officer", Ward);
        var people = new List<string>();
        for (var i = 0; i < 4; i++) people.Add((await ApprovedElderlyAsync(api, Ward)).Id);
        var (paid, failed, unclaimed, wrong) = (people[0], people[1], people[2], people[3]);
        var listId = (await ApprovedListAsync(api, Ward, M())).GetProperty("id").GetString()!;
        var lines = await LinesAsync(officer, listId);
        var export = await ExportAsync(officer, listId, "csv");
        var file = Fill(export, new()
        {
            [LineIdOf(lines, paid)] = "đã chi",
            [LineIdOf(lines, failed)] = "failed",
            [LineIdOf(lines, unclaimed)] = "Không nhận",
            [LineIdOf(lines, wrong)] = "sai tài khoản",
        });

        var first = await UploadAsync(officer, listId, file);
        Assert.Equal((4, 4, 0, 0, 3, 0), Counts(first));
        Assert.Empty(first.GetProperty("lineErrors").EnumerateArray());
        var after = await LinesAsync(officer, listId);
        Assert.Equal("paid", LineOf(after, paid).GetProperty("result").GetString());
        Assert.Equal("failed", LineOf(after, failed).GetProperty("result").GetString());
        Assert.Equal("unclaimed", LineOf(after, unclaimed).GetProperty("result").GetString());
        Assert.Equal("wrong-account", LineOf(after, wrong).GetProperty("result").GetString());

        // The same file again changes nothing.
        var events = await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE payment_list_id = @Id AND payment_line_id IS NOT NULL", new { Id = listId });
        var again = await UploadAsync(officer, listId, file);
        Assert.Equal((4, 0, 4, 0, 0, 0), Counts(again));
        Assert.Equal(events, await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE payment_list_id = @Id AND payment_line_id IS NOT NULL", new { Id = listId }));
        Assert.Equal(4, events);
        Assert.Equal(after.Select(l => l.ToString()), (await LinesAsync(officer, listId)).Select(l => l.ToString()));

        // The next list: this month again for the three not paid, never for the paid one.
        var next = await LinesAsync(officer, (await GenerateAsync(officer, Ward, M(1))).GetProperty("id").GetString()!);
        Assert.Equal([M(1)], MonthsOf(LineOf(next, paid)));
        foreach (var id in new[] { failed, unclaimed, wrong })
        {
            Assert.Equal([M(), M(1)], MonthsOf(LineOf(next, id)));
            Assert.Equal(2 * Elderly, LineOf(next, id).GetProperty("amountVnd").GetInt64());
        }
        Assert.Equal(4, next.Count);
        using (var draft = await PostFileAsync(officer, (await GenerateAsync(officer, Ward, M(1))).GetProperty("id").GetString()!, file, Csv))
            Assert.Equal(HttpStatusCode.Conflict, draft.StatusCode);   // a Draft receives no results

        // The events, in the feed: one per line, ids and status only.
        var client = await api.RegisterClientAsync(["events:read"], wards: [Ward]);
        using var feed = api.WithKey(client.Key);
        var position = await api.ScalarAsync<long>("SELECT MIN(position) FROM integration_event WHERE payment_list_id = @Id AND payment_line_id IS NOT NULL",
            new { Id = listId });
        var (all, _) = await feed.ReadAllEventsAsync((position - 1).ToString(CultureInfo.InvariantCulture));
        var lineEvents = all.Where(e => e.GetProperty("paymentLine").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(4, lineEvents.Count);
        foreach (var (id, type, status) in new[]
                 { (paid, "PaymentLinePaid", "paid"), (failed, "PaymentLineFailed", "failed"), (unclaimed, "PaymentLineFailed", "unclaimed"), (wrong, "PaymentLineFailed", "wrong-account") })
        {
            var e = Assert.Single(lineEvents, e => e.GetProperty("paymentLine").GetProperty("entitlementId").GetString() == id);
            Assert.Equal(type, e.GetProperty("type").GetString());
            var line = e.GetProperty("paymentLine");
            Assert.Equal(["entitlementId", "id", "listId", "status", "wardCode"], line.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(LineIdOf(lines, id).ToString(), line.GetProperty("id").GetString());
            Assert.Equal(listId, line.GetProperty("listId").GetString());
            Assert.Equal(status, line.GetProperty("status").GetString());
            Assert.Equal(Ward, line.GetProperty("wardCode").GetString());
            foreach (var subject in new[] { "dossier", "entitlement", "paymentList" }) Assert.Equal(JsonValueKind.Null, e.GetProperty(subject).ValueKind);
            var raw = e.GetRawText();
            // The webhook carries the same object as `data`: it meets the published contract.
            using var payload = JsonDocument.Parse($"{{\"type\":\"{type}\",\"timestamp\":\"2027-01-06T08:12:30.004+00:00\",\"data\":{raw}}}");
            Assert.Empty(Contracts.Check("webhooks.openapi.json", "WebhookPayload", payload.RootElement));
            Assert.DoesNotContain("1000000", raw, StringComparison.Ordinal);
            Assert.DoesNotContain(LineOf(lines, id).GetProperty("fullName").GetString()!, raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Per_line_errors_leave_those_rows_unapplied_and_lose_nothing_else_and_a_result_never_changes_once_set()
    {
        const string Ward = "09052";
        using var officer = api.As("ward-officer", Ward);
        var (a, _) = await ApprovedElderlyAsync(api, Ward);
        var (b, _) = await ApprovedElderlyAsync(api, Ward);
        var (c, _) = await ApprovedElderlyAsync(api, Ward);
        var otherList = (await ApprovedListAsync(api, "09064", M(), withEntitlement: true)).GetProperty("id").GetString()!;
        var otherLine = (await LinesAsync(api.As("ward-officer", "09064"), otherList))[0].GetProperty("id").GetString()!;
        var listId = (await ApprovedListAsync(api, Ward, M())).GetProperty("id").GetString()!;
        // Arrange: a held duplicate on the list, as generation writes one (the import's held records belong to other tests).
        var held = Guid.NewGuid();
        await ExecuteAsync("""
            INSERT INTO payment_line (id, list_id, kind, entitlement_id, payable_id, beneficiary_id, person_dossier_id, full_name, method, payment_method_id,
                account_last4, amount_vnd, period_from, period_to, result, result_at)
            VALUES (@Id, @List, 'held-duplicate', NULL, NULL, NULL, NULL, 'Lê Thị Hạnh', 'unknown', NULL, NULL, 0, @Month, @Month, NULL, NULL)
            """, new { Id = held.ToString(), List = listId, Month = M() });
        var lines = await LinesAsync(officer, listId);
        var export = await ExportAsync(officer, listId, "csv");
        Assert.DoesNotContain(held.ToString(), Encoding.UTF8.GetString(export), StringComparison.Ordinal);   // never sent to the payer

        var grid = CsvGrid(export);
        RowOf(grid, LineIdOf(lines, a))[8] = "paid";
        RowOf(grid, LineIdOf(lines, a))[5] = "1500000";   // the payer changed the amount
        RowOf(grid, LineIdOf(lines, b))[8] = "unclaimed";
        RowOf(grid, LineIdOf(lines, c))[8] = "có lẽ";
        var unknown = Guid.NewGuid();
        grid.Add([unknown.ToString(), "Người lạ", "", "", "", "1000000", M(), M(), "paid", "", ""]);
        grid.Add([otherLine, "Dòng xã khác", "", "", "", "1000000", M(), M(), "paid", "", ""]);
        grid.Add([held.ToString(), "Lê Thị Hạnh", "", "", "", "0", M(), M(), "paid", "", ""]);
        var response = await UploadAsync(officer, listId, Write(grid));
        Assert.Equal((6, 1, 0, 5, 1, 2), Counts(response));
        var errors = response.GetProperty("lineErrors").EnumerateArray().ToList();
        string CodeOf(Guid line) => Assert.Single(errors, e => e.GetProperty("lineId").GetString() == line.ToString()).GetProperty("code").GetString()!;
        Assert.Equal("amount-differs", CodeOf(LineIdOf(lines, a)));
        Assert.Equal("result-unknown", CodeOf(LineIdOf(lines, c)));
        Assert.Equal("line-not-on-list", CodeOf(unknown));
        Assert.Equal("line-not-on-list", CodeOf(Guid.Parse(otherLine)));
        Assert.Equal("line-not-payable", CodeOf(held));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.Equal(grid.Count, errors.Max(e => e.GetProperty("row").GetInt32()));   // rows as the spreadsheet numbers them: the last is the held line
        var after = await LinesAsync(officer, listId);
        Assert.Equal("unclaimed", LineOf(after, b).GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, LineOf(after, a).GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, LineOf(after, c).GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, Assert.Single((await LinesAsync(api.As("ward-officer", "09064"), otherList)), l => l.GetProperty("id").GetString() == otherLine)
            .GetProperty("result").ValueKind);

        // Corrected rows apply; a different result for a settled line is refused, not overwritten.
        var fixedFile = Fill(export, new() { [LineIdOf(lines, a)] = "paid", [LineIdOf(lines, b)] = "paid", [LineIdOf(lines, c)] = "failed" });
        var second = await UploadAsync(officer, listId, fixedFile);
        Assert.Equal((3, 2, 0, 1, 1, 0), Counts(second));
        Assert.Equal("result-conflict", Assert.Single(second.GetProperty("lineErrors").EnumerateArray()).GetProperty("code").GetString());
        Assert.Equal("unclaimed", LineOf(await LinesAsync(officer, listId), b).GetProperty("result").GetString());

        // A file that cannot be read as a whole: a problem, and nothing applied.
        using (var broken = await PostFileAsync(officer, listId, Encoding.UTF8.GetBytes("tên,số tiền\r\nAn,1000\r\n"), Csv))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
            Assert.EndsWith("payer-file-missing-columns", (await broken.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        }
        using (var pdf = await PostFileAsync(officer, listId, "%PDF-1.7\n%%EOF\n"u8.ToArray(), "application/pdf"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, pdf.StatusCode);
    }

    [Fact]
    public async Task A_payer_client_with_payments_write_for_the_ward_sends_results_others_are_refused()
    {
        const string Ward = "09076";
        var (a, _) = await ApprovedElderlyAsync(api, Ward);
        var listId = (await ApprovedListAsync(api, Ward, M())).GetProperty("id").GetString()!;
        using var officer = api.As("ward-officer", Ward);
        var lines = await LinesAsync(officer, listId);
        var file = Fill(await ExportAsync(officer, listId, "csv"), new() { [LineIdOf(lines, a)] = "paid" });

        foreach (var (client, expected) in new[]
                 {
                     (api.WithKey((await api.RegisterClientAsync(["payments:read"], wards: [Ward])).Key), HttpStatusCode.Forbidden),
                     (api.WithKey((await api.RegisterClientAsync(["events:read"])).Key), HttpStatusCode.Forbidden),
                     (api.WithKey((await api.RegisterClientAsync(["payments:write"], wards: ["09079"])).Key), HttpStatusCode.NotFound),
                     (api.WithKey((await api.RegisterClientAsync(["payments:write"], procedures: ["BTXH-01"])).Key), HttpStatusCode.NotFound),
                     (api.As("ward-officer", "09079"), HttpStatusCode.NotFound),
                     (api.As("citizen", idNumber: RegisterTests.IdBornIn(1950)), HttpStatusCode.Forbidden),
                 })
            using (client)
            using (var r = await PostFileAsync(client, listId, file, Csv))
                Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}, expected {(int)expected}: {await r.Content.ReadAsStringAsync()}");
        Assert.Equal(JsonValueKind.Null, LineOf(await LinesAsync(officer, listId), a).GetProperty("result").ValueKind);

        using var payer = api.WithKey((await api.RegisterClientAsync(["payments:write"], wards: [Ward])).Key);
        Assert.Equal((1, 1, 0, 0, 0, 0), Counts(await UploadAsync(payer, listId, file)));
        Assert.Equal("paid", LineOf(await LinesAsync(officer, listId), a).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Three_monthly_lines_unclaimed_in_a_row_propose_a_suspension_that_staff_confirm_and_the_entitlement_is_suspended_owed()
    {
        const string Ward = "09079";
        using var officer = api.As("ward-officer", Ward);
        var (a, _) = await ApprovedElderlyAsync(api, Ward);
        var (m0, m1, m2) = (M(), M(1), M(2));
        async Task<JsonElement> UnclaimedAsync(string month)
        {
            var listId = (await ApprovedListAsync(api, Ward, month)).GetProperty("id").GetString()!;
            var lines = await LinesAsync(officer, listId);
            return await UploadAsync(officer, listId, Fill(await ExportAsync(officer, listId, "csv"), new() { [LineIdOf(lines, a)] = "unclaimed" }));
        }
        Assert.Equal(0, (await UnclaimedAsync(m0)).GetProperty("proposedSuspensions").GetInt32());
        Assert.Equal(0, (await UnclaimedAsync(m1)).GetProperty("proposedSuspensions").GetInt32());
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement_proposal WHERE entitlement_id = @Id", new { Id = a }));
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        api.Clock.Advance(TimeSpan.FromDays(new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(1).DayNumber - today.DayNumber));
        try
        {
            Assert.Equal(1, (await UnclaimedAsync(m2)).GetProperty("proposedSuspensions").GetInt32());
            var proposals = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/wards/{Ward}/entitlement-proposals");
            var proposal = Assert.Single(proposals.GetProperty("items").EnumerateArray(), p => p.GetProperty("entitlementId").GetString() == a);
            Assert.Equal("unclaimed", proposal.GetProperty("kind").GetString());
            Assert.Equal([m0, m1, m2], proposal.GetProperty("unclaimedMonths").EnumerateArray().Select(m => m.GetString()));
            using var confirmed = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal.GetProperty("id").GetString()}/confirmation",
                new { note = "Trưởng thôn cho biết cụ đang ở với con tại Hà Nội." });
            var json = await confirmed.ReadJsonAsync();
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, json.ToString());
            Assert.Equal("confirmed", json.GetProperty("proposal").GetProperty("status").GetString());
            Assert.Equal("Suspended", json.GetProperty("entitlement").GetProperty("status").GetString());
            Assert.Equal("other", await api.ScalarAsync<string>("SELECT suspension_reason FROM entitlement WHERE id = @Id", new { Id = a }));
            Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement_event WHERE entitlement_id = @Id AND kind = 'Suspended' AND owed = 1",
                new { Id = a }));
        }
        finally
        {
            api.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_one_off_paid_is_settled_and_never_listed_again_and_one_not_paid_goes_on_the_next_list_until_it_is()
    {
        const string Ward = "07954";   // only this test's own lines are counted: the ward may hold other people
        using var officer = api.As("ward-officer", Ward);
        async Task<string> FuneralAsync()
        {
            var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-03", RegisterTests.IdBornIn(1970), new(1970, 2, 2),
                Dossiers.Actions.LifecycleTests.ExampleForm("BTXH-03").Deserialize<System.Text.Json.Nodes.JsonObject>()!, Ward), officer, api.As("ward-chair", Ward));
            return await api.ScalarAsync<string>("SELECT p.id FROM payable p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code", new { r.Code });
        }
        var (paid, failed) = (await FuneralAsync(), await FuneralAsync());
        static JsonElement Of(List<JsonElement> lines, string payable) => Assert.Single(lines, l => l.GetProperty("payableId").GetString() == payable);
        Task<string> StatusAsync(string payable) => api.ScalarAsync<string>("SELECT status FROM payable WHERE id = @Id", new { Id = payable });

        var first = (await ApprovedListAsync(api, Ward, M())).GetProperty("id").GetString()!;
        var lines = await LinesAsync(officer, first);
        var file = Fill(await ExportAsync(officer, first, "csv"), new()
        {
            [Of(lines, paid).GetProperty("id").GetGuid()] = "paid",
            [Of(lines, failed).GetProperty("id").GetGuid()] = "wrong-account",
        });
        await UploadAsync(officer, first, file);
        Assert.Equal("paid", await StatusAsync(paid));
        Assert.Equal("due", await StatusAsync(failed));

        // Next month: the one not paid again (its own month, its own amount), the paid one never.
        var second = (await ApprovedListAsync(api, Ward, M(1))).GetProperty("id").GetString()!;
        var next = await LinesAsync(officer, second);
        Assert.DoesNotContain(next, l => l.GetProperty("payableId").GetString() == paid);
        var again = Of(next, failed);
        Assert.Equal("one-off", again.GetProperty("kind").GetString());
        Assert.Equal(10_000_000L, again.GetProperty("amountVnd").GetInt64());
        Assert.Equal([M()], MonthsOf(again));
        await UploadAsync(officer, second, Fill(await ExportAsync(officer, second, "csv"), new() { [again.GetProperty("id").GetGuid()] = "paid" }));
        Assert.Equal("paid", await StatusAsync(failed));
        // The live month of each payable is on exactly one line; the released one stays on the first list as history.
        foreach (var payable in new[] { paid, failed })
            Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM payment_line_month WHERE payable_id = @Id AND released = 0", new { Id = payable }));
    }

    // --- arrangement, shared with the crash test and the OpenAPI example ---

    internal static async Task<(string Id, string Person)> ApprovedElderlyAsync(ApiFactory api, string ward)
    {
        var person = RegisterTests.IdBornIn(1944);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, Born, RegisterTests.Elderly(), ward),
            api.As("ward-officer", ward), api.As("ward-chair", ward));
        return (await RegisterTests.EntitlementOfAsync(api, r), person);
    }

    internal static async Task<JsonElement> GenerateAsync(HttpClient client, string ward, string month)
    {
        using var response = await client.PostAsync($"/api/v1/wards/{ward}/payment-lists/{month}/generation", null);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Drafts the ward's list, gives every payable line without one a method (post-office cash, in the database), redrafts, and the chair approves.</summary>
    internal static async Task<JsonElement> ApprovedListAsync(ApiFactory api, string ward, string month, bool withEntitlement = false)
    {
        if (withEntitlement) await ApprovedElderlyAsync(api, ward);
        using var chair = api.As("ward-chair", ward);
        var draft = await GenerateAsync(chair, ward, month);
        await using (var connection = new SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            var owners = await Dapper.SqlMapper.QueryAsync<string>(connection, """
                SELECT e.person_id_hash FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id WHERE l.list_id = @Id AND l.method = 'unknown'
                UNION SELECT p.payee_id_hash FROM payment_line l JOIN payable p ON p.id = l.payable_id WHERE l.list_id = @Id AND l.method = 'unknown'
                """, new { Id = draft.GetProperty("id").GetString() });
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
        var json = await approved.ReadJsonAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    internal static async Task<List<JsonElement>> LinesAsync(HttpClient client, string listId)
    {
        var lines = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/payment-lists/{listId}?limit=500" + (after is null ? "" : "&after=" + after));
            lines.AddRange(page.GetProperty("lines").EnumerateArray().Select(l => l.Clone()));
            if (page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null) return lines;
            after = page.GetProperty("nextAfter").GetString();
        }
    }

    private static JsonElement LineOf(List<JsonElement> lines, string entitlementId) =>
        Assert.Single(lines, l => l.GetProperty("entitlementId").GetString() == entitlementId);

    private static Guid LineIdOf(List<JsonElement> lines, string entitlementId) => LineOf(lines, entitlementId).GetProperty("id").GetGuid();

    private static string[] MonthsOf(JsonElement line) => [.. line.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()!)];

    internal static async Task<byte[]> ExportAsync(HttpClient client, string listId, string format)
    {
        using var r = await client.GetAsync($"/api/v1/payment-lists/{listId}/export?format={format}");
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadAsByteArrayAsync();
    }

    internal static Task<HttpResponseMessage> PostFileAsync(HttpClient client, string listId, byte[] file, string contentType)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync($"/api/v1/payment-lists/{listId}/results", content);
    }

    internal static async Task<JsonElement> UploadAsync(HttpClient client, string listId, byte[] file)
    {
        using var r = await PostFileAsync(client, listId, file, Csv);
        var json = await r.ReadJsonAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {json}");
        return json;
    }

    /// <summary>(rows, applied, unchanged, errors, released, unreconciled).</summary>
    private static (int, int, int, int, int, int) Counts(JsonElement r) => (r.GetProperty("rows").GetInt32(), r.GetProperty("applied").GetInt32(),
        r.GetProperty("unchanged").GetInt32(), r.GetProperty("errors").GetInt32(), r.GetProperty("released").GetInt32(), r.GetProperty("unreconciled").GetInt32());

    private async Task ExecuteAsync(string sql, object args)
    {
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql, args);
    }

    internal static List<List<string>> CsvGrid(byte[] csv)
    {
        using var parser = new CsvParser(new StreamReader(new MemoryStream(csv)), CultureInfo.InvariantCulture);
        var grid = new List<List<string>>();
        while (parser.Read()) grid.Add([.. parser.Record!]);
        return grid;
    }

    private static List<string> RowOf(List<List<string>> grid, Guid lineId) => Assert.Single(grid, r => r[0] == lineId.ToString());

    /// <summary>The export with the result column filled in for the given lines, written back as CSV.</summary>
    internal static byte[] Fill(byte[] export, Dictionary<Guid, string> results)
    {
        var grid = CsvGrid(export);
        foreach (var (line, result) in results) Assert.Single(grid, r => r[0] == line.ToString())[8] = result;
        return Write(grid);
    }

    internal static byte[] Write(List<List<string>> grid)
    {
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, new UTF8Encoding(true)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            foreach (var row in grid)
            {
                foreach (var cell in row) csv.WriteField(cell);
                csv.NextRecord();
            }
        return output.ToArray();
    }

    /// <summary>The "lines" sheet's cell texts by row (inline strings, numbers as stored).</summary>
    private static List<List<string>> XlsxGrid(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == PayerXlsxExport.LinesSheet);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var grid = new List<List<string>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var c in row.Elements<Cell>())
            {
                var column = c.CellReference!.Value!.TakeWhile(char.IsLetter).Aggregate(0, (n, l) => n * 26 + l - 'A' + 1) - 1;
                while (cells.Count <= column) cells.Add("");
                cells[column] = c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? "";
            }
            while (cells.Count < PayerColumns.All.Count) cells.Add("");
            grid.Add(cells);
        }
        return grid;
    }
}
