using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Features.Beneficiaries;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// Monthly payment lists (issue 19): generated per ward from the register (regular months, arrears, one-off payables,
/// held duplicates apart), redrafted the same, approved and locked by the ward chair, never a month on two live lines, and
/// no approved month after an end. Each test works in a ward of its own and asserts on its own entitlements' lines (the
/// shared database holds other tests' imports too).
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaymentListTests(ApiFactory api)
{
    private static readonly DateOnly Born = new(1944, 1, 20);   // 80 or over: 2.0 × 500,000 a month (Decree 20/2021 Art. 6)
    private const long Elderly = 1_000_000;

    private string M(int plus = 0) => RegisterTests.MonthOf(api, plus);

    private async Task<(string Id, string Person)> ApprovedElderlyAsync(string ward)
    {
        var person = RegisterTests.IdBornIn(1944);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, Born, RegisterTests.Elderly(), ward),
            api.As("ward-officer", ward), api.As("ward-chair", ward));
        return (await RegisterTests.EntitlementOfAsync(api, r), person);
    }

    private static async Task<JsonElement> GenerateAsync(HttpClient client, string ward, string month, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsync($"/api/v1/wards/{ward}/payment-lists/{month}/generation", null);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Every line of a list, through the keyset pages (small pages: the paging itself is exercised).</summary>
    private static async Task<List<JsonElement>> LinesAsync(HttpClient client, string listId)
    {
        var lines = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/payment-lists/{listId}?limit=50" + (after is null ? "" : "&after=" + after));
            lines.AddRange(page.GetProperty("lines").EnumerateArray());
            if (page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null) return lines;
            after = page.GetProperty("nextAfter").GetString();
        }
    }

    private static JsonElement LineOf(List<JsonElement> lines, string entitlementId) =>
        Assert.Single(lines, l => l.GetProperty("entitlementId").GetString() == entitlementId);

    private static string[] MonthsOf(JsonElement line) => [.. line.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()!)];

    /// <summary>Arrange: every payable line of the list whose person has no method gets one (post-office cash), straight in the database.</summary>
    private async Task GiveEveryoneAMethodAsync(string listId)
    {
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        var owners = await Dapper.SqlMapper.QueryAsync<(string? Hash, string? Entitlement)>(connection, """
            SELECT e.person_id_hash, e.id FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id WHERE l.list_id = @Id AND l.method = 'unknown'
            UNION ALL
            SELECT p.payee_id_hash, NULL FROM payment_line l JOIN payable p ON p.id = l.payable_id WHERE l.list_id = @Id AND l.method = 'unknown'
            """, new { Id = listId });
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        foreach (var (hash, entitlement) in owners)
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT OR IGNORE INTO payment_method (id, person_id_hash, entitlement_id, method, post_office_point, version, created_at, updated_at)
                VALUES (@Id, @Hash, @Entitlement, 'post-office-cash', 'Bưu điện xã', 1, @Now, @Now)
                """, new { Id = Guid.NewGuid().ToString(), Hash = hash, Entitlement = hash is null ? entitlement : null, Now = now });
    }

    private static async Task<HttpResponseMessage> ApproveAsync(HttpClient client, string listId, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-lists/{listId}/approval");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>Drafts the ward's list for the month, gives every payable line a method, drafts it again and the chair approves it.</summary>
    private async Task<JsonElement> ApprovedListAsync(string ward, string month)
    {
        using var chair = api.As("ward-chair", ward);
        var draft = await GenerateAsync(chair, ward, month);
        await GiveEveryoneAMethodAsync(draft.GetProperty("id").GetString()!);
        draft = await GenerateAsync(chair, ward, month);
        Assert.Equal(0, draft.GetProperty("unknownMethodLines").GetInt32());
        using var approved = await ApproveAsync(chair, draft.GetProperty("id").GetString()!, $"\"{draft.GetProperty("version").GetInt32()}\"");
        var json = await approved.ReadJsonAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("Approved", json.GetProperty("status").GetString());
        return json;
    }

    [Fact]
    public async Task A_ward_list_pays_each_approved_allowance_its_months_at_the_exact_amount_a_one_off_apart_and_a_redraft_has_the_same_lines()
    {
        const string Ward = "08935";
        using var officer = api.As("ward-officer", Ward);
        var (a, _) = await ApprovedElderlyAsync(Ward);
        var (b, _) = await ApprovedElderlyAsync(Ward);
        using (var put = await officer.PutAsJsonAsync($"/api/v1/entitlements/{b}/payment-method",
                   new { method = "bank-account", bankCode = "970405", bankName = "Agribank", accountNumber = "2700205012345", accountHolder = "Nguyễn Văn B" }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var funeral = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-03", RegisterTests.IdBornIn(1970), new(1970, 2, 2),
            LifecycleTests.ExampleForm("BTXH-03").Deserialize<JsonObject>()!, Ward), officer, api.As("ward-chair", Ward));
        var payable = await api.ScalarAsync<string>("SELECT p.id FROM payable p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code", new { funeral.Code });

        var list = await GenerateAsync(officer, Ward, M(1));
        Assert.Equal("Draft", list.GetProperty("status").GetString());
        var listId = list.GetProperty("id").GetString()!;
        var lines = await LinesAsync(officer, listId);
        foreach (var id in new[] { a, b })
        {
            var line = LineOf(lines, id);
            Assert.Equal("regular", line.GetProperty("kind").GetString());   // next month, with this month as arrears
            Assert.Equal([M(), M(1)], MonthsOf(line));
            Assert.All(line.GetProperty("months").EnumerateArray(), m => Assert.Equal(Elderly, m.GetProperty("amountVnd").GetInt64()));
            Assert.Equal(2 * Elderly, line.GetProperty("amountVnd").GetInt64());
            Assert.Equal(M(), line.GetProperty("periodFrom").GetString());
            Assert.Equal(M(1), line.GetProperty("periodTo").GetString());
        }
        Assert.Equal("unknown", LineOf(lines, a).GetProperty("method").GetString());   // flagged: approval refuses it
        Assert.Equal("bank-account", LineOf(lines, b).GetProperty("method").GetString());
        Assert.Equal("••••2345", LineOf(lines, b).GetProperty("maskedAccount").GetString());
        var oneOff = Assert.Single(lines, l => l.GetProperty("payableId").GetString() == payable);
        Assert.Equal("one-off", oneOff.GetProperty("kind").GetString());
        Assert.Equal(10_000_000L, oneOff.GetProperty("amountVnd").GetInt64());   // funeral support: 20 × 500,000
        Assert.Equal([M()], MonthsOf(oneOff));
        Assert.Equal(lines.Where(l => l.GetProperty("kind").GetString() != "held-duplicate").Sum(l => l.GetProperty("amountVnd").GetInt64()),
            list.GetProperty("totalVnd").GetInt64());
        Assert.Equal(lines.Count, list.GetProperty("lineCount").GetInt32());

        // Staff never see the group, coefficient or reason behind an amount, nor a full account number.
        var raw = await officer.GetStringAsync($"/api/v1/payment-lists/{listId}?limit=500");
        Assert.DoesNotContain("elderly-poor-no-supporter", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("2700205012345", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("coefficient", raw, StringComparison.OrdinalIgnoreCase);

        // A redraft with nothing changed: the same lines (ids, months, amounts), a new version.
        var again = await GenerateAsync(officer, Ward, M(1));
        Assert.Equal(listId, again.GetProperty("id").GetString());
        Assert.Equal(list.GetProperty("version").GetInt32() + 1, again.GetProperty("version").GetInt32());
        var redrafted = await LinesAsync(officer, listId);
        Assert.Equal(lines.Select(l => l.ToString()).Order(StringComparer.Ordinal), redrafted.Select(l => l.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(list.GetProperty("totalVnd").GetInt64(), again.GetProperty("totalVnd").GetInt64());

        // The database itself refuses a month of an entitlement on a second live line.
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath};Foreign Keys=False");
        await connection.OpenAsync();
        var doubled = await Assert.ThrowsAsync<SqliteException>(() => Dapper.SqlMapper.ExecuteAsync(connection,
            "INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (@Line, @E, NULL, @Month, 1000000, 0)",
            new { Line = Guid.NewGuid().ToString(), E = a, Month = M(1) }));
        Assert.Contains("UNIQUE", doubled.Message, StringComparison.Ordinal);
        var payableTwice = await Assert.ThrowsAsync<SqliteException>(() => Dapper.SqlMapper.ExecuteAsync(connection,
            "INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (@Line, NULL, @P, @Month, 1, 0)",
            new { Line = Guid.NewGuid().ToString(), P = payable, Month = M() }));
        Assert.Contains("UNIQUE", payableTwice.Message, StringComparison.Ordinal);
        // A released month (the payer gave it back) does not count: the next list may take it again.
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(connection,
            "INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (@Line, @E, NULL, @Month, 1000000, 1)",
            new { Line = Guid.NewGuid().ToString(), E = a, Month = M(1) }));
        await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM payment_line_month WHERE released = 1 AND entitlement_id = @E", new { E = a });

        // Another ward's staff learn nothing; reads are access-logged.
        using var stranger = api.As("ward-officer", "04828");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/payment-lists/{listId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/wards/{Ward}/payment-lists")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsync($"/api/v1/wards/{Ward}/payment-lists/{M(1)}/generation", null)).StatusCode);
        var heads = await api.As("provincial-officer").GetFromJsonAsync<JsonElement>($"/api/v1/wards/{Ward}/payment-lists");
        Assert.Contains(heads.GetProperty("items").EnumerateArray(), h => h.GetProperty("id").GetString() == listId);
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE kind = 'payment-list' AND subject_kind = 'entitlement' AND subject_id = @Id", new { Id = a }),
            n => n > 0, TimeSpan.FromSeconds(10), "the access-log entry of the list read");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await officer.PostAsync($"/api/v1/wards/{Ward}/payment-lists/{M(2)}/generation", null)).StatusCode);
        // The province-wide run: provincial officers only, at most next month.
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync($"/api/v1/payment-lists/generation?month={M(1)}", null)).StatusCode);
        using var province = api.As("provincial-officer");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await province.PostAsync($"/api/v1/payment-lists/generation?month={M(2)}", null)).StatusCode);
    }

    [Fact]
    public async Task Only_the_ward_chair_approves_with_a_current_If_Match_and_every_method_known_then_the_list_is_locked_and_the_next_carries_what_is_due()
    {
        const string Ward = "08944";
        var (a, _) = await ApprovedElderlyAsync(Ward);
        using var officer = api.As("ward-officer", Ward);
        using var chair = api.As("ward-chair", Ward);
        var draft = await GenerateAsync(officer, Ward, M());
        var listId = draft.GetProperty("id").GetString()!;
        var etag = $"\"{draft.GetProperty("version").GetInt32()}\"";

        using (var r = await ApproveAsync(officer, listId, etag)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await ApproveAsync(api.As("ward-chair", "04828"), listId, etag)) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await ApproveAsync(api.As("provincial-officer"), listId, etag)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await ApproveAsync(chair, listId, null)) Assert.Equal(HttpStatusCode.PreconditionRequired, r.StatusCode);
        using (var r = await ApproveAsync(chair, listId, "\"999\"")) Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode);
        using (var r = await ApproveAsync(chair, listId, etag))
        {
            var problem = await r.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.EndsWith("/payment-method-missing", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            var lineOfA = LineOf(await LinesAsync(officer, listId), a).GetProperty("id").GetString();
            Assert.Contains(lineOfA, problem.GetProperty("errors").GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        }
        Assert.Equal("Draft", (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/payment-lists/{listId}")).GetProperty("list").GetProperty("status").GetString());

        var approved = await ApprovedListAsync(Ward, M());
        Assert.Equal(listId, approved.GetProperty("id").GetString());
        Assert.Equal([M()], MonthsOf(LineOf(await LinesAsync(officer, listId), a)));

        // Locked for ever: no redraft, no second approval.
        var before = (await LinesAsync(officer, listId)).Select(l => l.ToString()).ToList();
        await GenerateAsync(officer, Ward, M(), HttpStatusCode.Conflict);
        using (var r = await ApproveAsync(chair, listId, $"\"{approved.GetProperty("version").GetInt32()}\"")) Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Equal(before, (await LinesAsync(officer, listId)).Select(l => l.ToString()).ToList());

        // The event: ids and status only.
        var type = await api.ScalarAsync<string>("SELECT event_type FROM integration_event WHERE payment_list_id = @Id", new { Id = listId });
        Assert.Equal("PaymentListApproved", type);
        var client = await api.RegisterClientAsync(["events:read"]);
        using var feed = api.WithKey(client.Key);
        var position = await api.ScalarAsync<long>("SELECT position FROM integration_event WHERE payment_list_id = @Id", new { Id = listId });
        var page = await feed.GetFromJsonAsync<JsonElement>($"/api/v1/events?after={position - 1}&limit=1");
        var e = Assert.Single(page.GetProperty("events").EnumerateArray());
        Assert.Equal("PaymentListApproved", e.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("dossier").ValueKind);
        var subject = e.GetProperty("paymentList");
        Assert.Equal(listId, subject.GetProperty("id").GetString());
        Assert.Equal("Approved", subject.GetProperty("status").GetString());
        Assert.Equal(Ward, subject.GetProperty("wardCode").GetString());
        Assert.Equal(["id", "status", "version", "wardCode"], subject.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // The next list carries what is still due: A's next month, and all of B's months (B started after the approval).
        var (b, _) = await ApprovedElderlyAsync(Ward);
        var next = await GenerateAsync(officer, Ward, M(1));
        var nextLines = await LinesAsync(officer, next.GetProperty("id").GetString()!);
        Assert.Equal([M(1)], MonthsOf(LineOf(nextLines, a)));
        Assert.Equal([M(), M(1)], MonthsOf(LineOf(nextLines, b)));
        Assert.Equal("regular", LineOf(nextLines, b).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_owed_hold_is_paid_as_arrears_once_resumed_and_a_hold_that_is_not_owed_loses_its_months()
    {
        const string Ward = "08950";
        var (owed, _) = await ApprovedElderlyAsync(Ward);
        var (notOwed, _) = await ApprovedElderlyAsync(Ward);
        using var officer = api.As("ward-officer", Ward);
        async Task ActAsync(string id, string action, object body)
        {
            using var r = await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/{action}", body);
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }
        await ActAsync(owed, "suspension", new { reason = "reverification", note = "Xác minh lại nơi cư trú." });
        await ActAsync(notOwed, "suspension", new { reason = "death-reported", note = "Trưởng thôn báo tin." });

        // While held, nothing from the suspension's month on is listed.
        var held = await LinesAsync(officer, (await GenerateAsync(officer, Ward, M(1))).GetProperty("id").GetString()!);
        Assert.DoesNotContain(held, l => l.GetProperty("entitlementId").GetString() is { } id && (id == owed || id == notOwed));

        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        var nextMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(1);
        var (m0, m1, m2) = (M(), M(1), M(2));
        api.Clock.Advance(TimeSpan.FromDays(nextMonth.DayNumber - today.DayNumber));   // the 2nd of next month
        try
        {
            await ActAsync(owed, "resumption", new { note = "Đã xác minh: vẫn cư trú tại thôn." });
            await ActAsync(notOwed, "resumption", new { note = "Tin báo nhầm người." });
            var list = await GenerateAsync(officer, Ward, m1);   // now this month's list: redrafted
            var lines = await LinesAsync(officer, list.GetProperty("id").GetString()!);
            var arrears = LineOf(lines, owed);
            Assert.Equal([m0, m1], MonthsOf(arrears));   // the held month paid as arrears with this month
            Assert.Equal(2 * Elderly, arrears.GetProperty("amountVnd").GetInt64());
            Assert.Equal([m1], MonthsOf(LineOf(lines, notOwed)));   // the month held after a death report is not owed
            var later = await LinesAsync(officer, (await GenerateAsync(officer, Ward, m2)).GetProperty("id").GetString()!);
            Assert.Equal([m2], MonthsOf(LineOf(later, owed)));   // the months on the draft are not listed twice
        }
        finally
        {
            api.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_legacy_record_is_paid_from_its_import_month_at_its_imported_amount_and_a_held_duplicate_is_shown_apart_with_nothing_to_pay()
    {
        var person = RegisterTests.IdBornIn(1946);
        var source = "pay-" + Guid.NewGuid().ToString("N")[..8];
        var (entitlement, ward) = await RegisterTests.ImportAsync(api, api.As("provincial-officer"), person, new(1946, 3, 5), 540_000, source);
        // The same person again from another former province's list: held as a possible duplicate, re-verification open.
        var again = "dup-" + Guid.NewGuid().ToString("N")[..8];
        var commune = await api.ScalarAsync<string>("SELECT old_commune_code FROM beneficiary WHERE source_system = @Source", new { Source = source });
        var path = Path.Combine(api.Folder, again + ".csv");
        await File.WriteAllTextAsync(path, BeneficiaryLists.Header + "\n" + string.Create(CultureInfo.InvariantCulture,
            $"{again}-1,{person},\"Lê Thị Hạnh\",1946-03-05,{commune},\"Thôn Đồng\",BTXH-01,elderly-poor-no-supporter,540000,2024-01,\"8/QĐ-UBND\"\n"), Encoding.UTF8);
        using var province = api.As("provincial-officer");
        await ImportTests.FinishedAsync(province, await ImportTests.UploadAsync(province, path, again), TimeSpan.FromSeconds(60));
        var duplicate = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE source_system = @Source AND entitlement = 'held-duplicate'", new { Source = again });

        using var officer = api.As("ward-officer", ward);
        var list = await GenerateAsync(officer, ward, M(1));
        var lines = await LinesAsync(officer, list.GetProperty("id").GetString()!);
        var line = LineOf(lines, entitlement);
        Assert.Equal([M(), M(1)], MonthsOf(line));   // imported this month: the former system paid the months before (start 2024-01)
        Assert.All(line.GetProperty("months").EnumerateArray(), m => Assert.Equal(540_000L, m.GetProperty("amountVnd").GetInt64()));
        Assert.Equal(1_080_000L, line.GetProperty("amountVnd").GetInt64());
        var held = Assert.Single(lines, l => l.GetProperty("beneficiaryId").GetString() == duplicate);
        Assert.Equal("held-duplicate", held.GetProperty("kind").GetString());
        Assert.Equal(0L, held.GetProperty("amountVnd").GetInt64());
        Assert.Empty(held.GetProperty("months").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, held.GetProperty("entitlementId").ValueKind);
    }

    [Fact]
    public async Task An_end_before_the_last_month_on_an_approved_list_becomes_that_month_and_the_beneficiary_sees_the_payment()
    {
        const string Ward = "08971";
        var (a, person) = await ApprovedElderlyAsync(Ward);
        var (b, _) = await ApprovedElderlyAsync(Ward);
        var list = await ApprovedListAsync(Ward, M(1));   // pays this month and next, approved
        using var chair = api.As("ward-chair", Ward);

        using (var end = await chair.PostAsJsonAsync($"/api/v1/entitlements/{a}/end", new { reason = "no-longer-eligible", lastMonth = M(), note = "Quyết định 15/QĐ-UBND." }))
        {
            var e = await end.ReadJsonAsync();
            Assert.True(end.StatusCode == HttpStatusCode.OK, e.ToString());
            Assert.Equal("Ended", e.GetProperty("status").GetString());
            Assert.Equal(M(1), e.GetProperty("endMonth").GetString());   // not this month: next month is on an approved list
            var ended = e.GetProperty("history").EnumerateArray().Last();
            Assert.Equal(M(1), ended.GetProperty("month").GetString());
            Assert.Contains($"Tháng cuối cùng được chi trả là {M(1)}", ended.GetProperty("note").GetString(), StringComparison.Ordinal);
        }
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var death = await chair.PostAsJsonAsync($"/api/v1/entitlements/{b}/death-report", new { dateOfDeath = today, note = "Trích lục khai tử." }))
        {
            var e = await death.ReadJsonAsync();
            Assert.True(death.StatusCode == HttpStatusCode.OK, e.ToString());
            Assert.Equal(M(1), e.GetProperty("endMonth").GetString());
        }
        Assert.Equal(0L, await api.ScalarAsync<long>("""
            SELECT COUNT(*) FROM payment_line_month m JOIN payment_line l ON l.id = m.line_id JOIN payment_list p ON p.id = l.list_id
            JOIN entitlement e ON e.id = m.entitlement_id
            WHERE p.status = 'Approved' AND m.released = 0 AND e.end_month IS NOT NULL AND m.month > e.end_month
            """));

        // The beneficiary sees the line: months, amount, method masked, list status.
        using var self = api.As("citizen", idNumber: person);
        var mine = await self.GetFromJsonAsync<JsonElement>("/api/v1/me/benefits");
        var payment = Assert.Single(mine.GetProperty("payments").EnumerateArray());
        Assert.Equal(M(1), payment.GetProperty("listMonth").GetString());
        Assert.Equal("Approved", payment.GetProperty("listStatus").GetString());
        Assert.Equal([M(), M(1)], payment.GetProperty("months").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(2 * Elderly, payment.GetProperty("amountVnd").GetInt64());
        Assert.Equal("post-office-cash", payment.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("result").ValueKind);
        Assert.Equal(list.GetProperty("id").GetString(), await api.ScalarAsync<string>("SELECT list_id FROM payment_line WHERE id = @Id",
            new { Id = payment.GetProperty("lineId").GetString() }));
        var other = await api.As("citizen", idNumber: RegisterTests.IdBornIn(1950)).GetFromJsonAsync<JsonElement>("/api/v1/me/benefits");
        Assert.Empty(other.GetProperty("payments").EnumerateArray());
    }
}
