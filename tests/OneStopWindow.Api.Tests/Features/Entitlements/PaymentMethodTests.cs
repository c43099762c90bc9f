using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Entitlements.PaymentMethods;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// Payment accounts (issue 18, part 4): how each beneficiary is paid — bank account, e-wallet, cash at a post-office point,
/// or home delivery for the elderly and people with disabilities; numbers sealed at rest and masked to every reader;
/// changed by staff of the paying ward or by the signed-in beneficiary, audited and notified, never logged.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaymentMethodTests(ApiFactory api) : IDisposable
{
    private static int counter;
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward, subject: "officer-payment");
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward, subject: "chair-payment");
    private readonly HttpClient province = api.As("provincial-officer", subject: "province-payment");
    private readonly HttpClient stranger = api.As("ward-officer", "04828", subject: "stranger-payment");

    /// <summary>A bank account number no other test uses: 13 digits.</summary>
    private static string AccountNumber() =>
        string.Create(CultureInfo.InvariantCulture, $"27{DateTime.UtcNow.Ticks % 1_000_000:000000}{Interlocked.Increment(ref counter) % 100_000:00000}");

    /// <summary>A mobile number no other test uses, as a person types it (national form, 10 digits).</summary>
    private static string WalletNumber() =>
        string.Create(CultureInfo.InvariantCulture, $"098{DateTime.UtcNow.Ticks % 10_000:0000}{Interlocked.Increment(ref counter) % 1000:000}");

    private static object Bank(string number) =>
        new { method = "bank-account", bankCode = "970405", bankName = "Agribank chi nhánh Phú Thọ", accountNumber = number, accountHolder = "Lê Thị Hạnh" };

    private static object Wallet(string number) => new { method = "e-wallet", walletProvider = "VNPT Money", walletNumber = number };

    private static readonly object PostOffice = new { method = "post-office-cash", postOfficePoint = "Bưu điện văn hóa xã Hy Cương" };

    private static object Home(string ground) => new { method = "home-delivery", deliveryAddress = "Thôn 3, xã Hy Cương", homeDeliveryGround = ground };

    /// <summary>An elderly person's (born 1944) active entitlement, and their identity number.</summary>
    private async Task<(string Id, string Person)> ElderlyAsync()
    {
        var person = RegisterTests.IdBornIn(1944);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, new(1944, 1, 20), RegisterTests.Elderly()), officer, chair);
        return (await RegisterTests.EntitlementOfAsync(api, r), person);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> PutAsync(HttpClient client, string path, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private static Task<(HttpStatusCode Status, JsonElement Body, string Text)> StaffPutAsync(HttpClient client, string id, object body, string? ifMatch = null) =>
        PutAsync(client, $"/api/v1/entitlements/{id}/payment-method", body, ifMatch);

    /// <summary>Every file of the application database (the main file and its write-ahead log), as text, to prove a number is not in it.</summary>
    private async Task<string> DatabaseBytesAsync()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(api.Folder, "app.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            text.Append(Encoding.Latin1.GetString(memory.ToArray()));
        }
        return text.ToString();
    }

    [Fact]
    public async Task Each_method_is_recorded_and_read_back_masked_while_the_database_holds_the_numbers_sealed()
    {
        var (id, person) = await ElderlyAsync();
        var account = AccountNumber();
        var wallet = WalletNumber();
        using var self = api.As("citizen", idNumber: person);

        // Bank account, typed with spaces: stored as digits, shown as the last 4 only — to staff, in the entitlement and to the person.
        var spaced = account[..4] + " " + account[4..8] + " " + account[8..];
        var (status, bank, text) = await StaffPutAsync(officer, id, Bank(spaced));
        Assert.Equal(HttpStatusCode.OK, status);
        var current = bank.GetProperty("current");
        Assert.Equal("bank-account", current.GetProperty("method").GetString());
        Assert.True(current.GetProperty("cashless").GetBoolean());
        Assert.Equal("970405", current.GetProperty("bankCode").GetString());
        Assert.Equal("••••" + account[^4..], current.GetProperty("maskedAccountNumber").GetString());
        Assert.DoesNotContain(account, text, StringComparison.Ordinal);
        var entitlement = await officer.GetStringAsync($"/api/v1/entitlements/{id}");
        Assert.Equal("••••" + account[^4..], JsonDocument.Parse(entitlement).RootElement.GetProperty("paymentMethod").GetProperty("maskedAccountNumber").GetString());
        Assert.DoesNotContain(account, entitlement, StringComparison.Ordinal);
        var benefits = await self.GetStringAsync("/api/v1/me/benefits");
        Assert.Equal("••••" + account[^4..], JsonDocument.Parse(benefits).RootElement.GetProperty("paymentMethod").GetProperty("maskedAccountNumber").GetString());
        Assert.DoesNotContain(account, benefits, StringComparison.Ordinal);

        // At rest: sealed, with the last 4 digits beside it; the plain number is nowhere in the database files.
        Assert.StartsWith("pd1.", await api.ScalarAsync<string>(
            "SELECT account_number FROM payment_method WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)", new { Id = id }),
            StringComparison.Ordinal);
        Assert.DoesNotContain(account, await DatabaseBytesAsync(), StringComparison.Ordinal);
        // Only the payer's export opens it (issue 19), through the one internal reader no endpoint calls.
        var payer = api.Services.GetRequiredService<PayerAccounts>();
        var opened = (await payer.ForEntitlementsAsync([Guid.Parse(id)], CancellationToken.None))[Guid.Parse(id)];
        Assert.Equal(account, opened.AccountNumber);

        // E-wallet: the mobile number sealed, masked to its last 4 digits; the account fields are cleared.
        var (walletStatus, walletView, walletText) = await StaffPutAsync(officer, id, Wallet(wallet));
        Assert.Equal(HttpStatusCode.OK, walletStatus);
        current = walletView.GetProperty("current");
        Assert.Equal("e-wallet", current.GetProperty("method").GetString());
        Assert.Equal("••••" + wallet[^4..], current.GetProperty("maskedWalletNumber").GetString());
        Assert.Equal(JsonValueKind.Null, current.GetProperty("maskedAccountNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, current.GetProperty("bankCode").ValueKind);
        Assert.DoesNotContain(wallet[1..], walletText, StringComparison.Ordinal);
        var files = await DatabaseBytesAsync();
        Assert.Contains("pd1.", files, StringComparison.Ordinal);   // the files read are the ones holding the sealed values
        Assert.DoesNotContain(wallet[1..], files, StringComparison.Ordinal);   // neither 09… nor +849…
        Assert.DoesNotContain(account, files, StringComparison.Ordinal);
        Assert.Equal("+84" + wallet[1..], (await payer.ForEntitlementsAsync([Guid.Parse(id)], CancellationToken.None))[Guid.Parse(id)].WalletNumber);

        // Cash at a post-office point, then home delivery for this elderly person (82 this year): both recorded, cash, no number.
        var (postStatus, post, _) = await StaffPutAsync(province, id, PostOffice);
        Assert.Equal(HttpStatusCode.OK, postStatus);
        Assert.Equal("Bưu điện văn hóa xã Hy Cương", post.GetProperty("current").GetProperty("postOfficePoint").GetString());
        Assert.False(post.GetProperty("current").GetProperty("cashless").GetBoolean());
        Assert.Contains("elderly", post.GetProperty("homeDeliveryGrounds").EnumerateArray().Select(g => g.GetString()));
        var (homeStatus, home, _) = await StaffPutAsync(chair, id, Home("elderly"));
        Assert.Equal(HttpStatusCode.OK, homeStatus);
        Assert.Equal("home-delivery", home.GetProperty("current").GetProperty("method").GetString());
        Assert.Equal("elderly", home.GetProperty("current").GetProperty("homeDeliveryGround").GetString());
        Assert.Equal(JsonValueKind.Null, home.GetProperty("current").GetProperty("maskedWalletNumber").ValueKind);
        Assert.Equal(0L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM payment_method WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id) AND (account_number IS NOT NULL OR wallet_number IS NOT NULL)",
            new { Id = id }));
        Assert.Equal(["bank-account", "e-wallet", "post-office-cash", "home-delivery"],
            home.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("newMethod").GetString()));
    }

    [Fact]
    public async Task The_beneficiary_changes_their_own_method_and_cannot_reach_anyone_elses()
    {
        var (id, person) = await ElderlyAsync();
        var (otherId, other) = await ElderlyAsync();
        using var self = api.As("citizen", idNumber: person, subject: person);   // a subject that is the identity number is never stored
        using var someoneElse = api.As("citizen", idNumber: other);

        Assert.Equal(HttpStatusCode.OK, (await StaffPutAsync(officer, otherId, PostOffice)).Status);
        var wallet = WalletNumber();
        var (status, mine, _) = await PutAsync(self, "/api/v1/me/benefits/payment-method", Wallet(wallet));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("••••" + wallet[^4..], mine.GetProperty("current").GetProperty("maskedWalletNumber").GetString());
        var change = Assert.Single(mine.GetProperty("history").EnumerateArray());
        Assert.Equal("citizen", change.GetProperty("channel").GetString());
        Assert.False(change.TryGetProperty("actor", out _));   // the beneficiary's view names no one

        // Staff see the change as the beneficiary's, through the citizen channel; the identity number is not the actor.
        var staffView = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}/payment-method");
        var audited = Assert.Single(staffView.GetProperty("history").EnumerateArray());
        Assert.Equal("beneficiary", audited.GetProperty("actor").GetString());
        Assert.Equal("citizen", audited.GetProperty("actorRole").GetString());
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM payment_method_change WHERE actor = @Person", new { Person = person }));

        // Their change reached nobody else; the other person's own read shows their own method; a citizen cannot use the staff address.
        Assert.Equal("post-office-cash", (await someoneElse.GetFromJsonAsync<JsonElement>("/api/v1/me/benefits/payment-method"))
            .GetProperty("current").GetProperty("method").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await StaffPutAsync(self, otherId, Bank(AccountNumber()))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.GetAsync($"/api/v1/entitlements/{otherId}/payment-method")).StatusCode);
        Assert.Equal("post-office-cash", (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{otherId}/payment-method"))
            .GetProperty("current").GetProperty("method").GetString());

        // Someone the register pays nothing has no method to read or change.
        using var nobody = api.As("citizen", idNumber: RegisterTests.IdBornIn(1990));
        Assert.Equal(HttpStatusCode.NotFound, (await nobody.GetAsync("/api/v1/me/benefits/payment-method")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(nobody, "/api/v1/me/benefits/payment-method", PostOffice)).Status);
    }

    [Fact]
    public async Task Staff_of_another_ward_get_404_administrators_403_and_a_closed_entitlement_409()
    {
        var (id, _) = await ElderlyAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/entitlements/{id}/payment-method")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await StaffPutAsync(stranger, id, PostOffice)).Status);
        using var admin = api.As("administrator");
        Assert.Equal(HttpStatusCode.Forbidden, (await StaffPutAsync(admin, id, PostOffice)).Status);
        Assert.Equal(0L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM payment_method WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)", new { Id = id }));

        using (var ended = await chair.PostAsJsonAsync($"/api/v1/entitlements/{id}/end", new { reason = "no-longer-eligible", note = "Quyết định thôi hưởng." }))
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var (status, problem, _) = await StaffPutAsync(officer, id, PostOffice);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith("entitlement-closed", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_delivery_is_refused_when_the_register_shows_no_ground_and_a_child_without_an_identity_number_is_keyed_by_the_entitlement()
    {
        // A grandmother (68) files for an orphan of two: the beneficiary is the child, who is neither elderly nor disabled.
        var childBorn = Appointment.DateInVietnam(api.Clock.GetUtcNow()).AddYears(-2).AddDays(-10);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(1958), new(1958, 5, 2), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "child-without-care",
            ["beneficiary"] = new JsonObject
            {
                ["fullName"] = "Hà Minh An",
                ["dateOfBirth"] = childBorn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["relationship"] = "grandchild",
            },
            ["circumstances"] = "Cháu mồ côi cả cha lẹ, ở với bà ngoại.",
        }), officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, r);

        foreach (var ground in new[] { "elderly", "disability" })
        {
            var (status, problem, _) = await StaffPutAsync(officer, id, Home(ground));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.EndsWith("home-delivery-not-eligible", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains("Hồ sơ hưởng trợ cấp không cho thấy", problem.GetProperty("errors").GetProperty("homeDeliveryGround")[0].GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty("source")[0].GetString()));
        }
        Assert.Empty((await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}/payment-method")).GetProperty("homeDeliveryGrounds").EnumerateArray());

        // The guardian's bank account is recorded against the entitlement itself (the child has no identity number here).
        Assert.Equal(HttpStatusCode.OK, (await StaffPutAsync(officer, id, Bank(AccountNumber()))).Status);
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM payment_method WHERE entitlement_id = @Id AND person_id_hash IS NULL", new { Id = id }));
        var view = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        Assert.Equal("bank-account", view.GetProperty("paymentMethod").GetProperty("method").GetString());
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_with_Vietnamese_field_errors_that_never_repeat_the_number()
    {
        var (id, _) = await ElderlyAsync();
        async Task<JsonElement> ErrorsAsync(object body)
        {
            var (status, problem, _) = await StaffPutAsync(officer, id, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.EndsWith("validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            return problem.GetProperty("errors");
        }

        Assert.Contains("phương thức", (await ErrorsAsync(new { method = "cheque" })).GetProperty("method")[0].GetString(), StringComparison.Ordinal);
        var bad = await ErrorsAsync(new { method = "bank-account", bankCode = "VCB", accountNumber = "12ab34", walletNumber = "0912345678" });
        Assert.Contains("6 chữ số", bad.GetProperty("bankCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("chữ số", bad.GetProperty("accountNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("12ab34", bad.GetProperty("accountNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("bắt buộc", bad.GetProperty("bankName")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("chủ tài khoản", bad.GetProperty("accountHolder")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("không dùng cho phương thức", bad.GetProperty("walletNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("di động", (await ErrorsAsync(new { method = "e-wallet", walletProvider = "VNPT Money", walletNumber = "02103 845 123" }))
            .GetProperty("walletNumber")[0].GetString(), StringComparison.Ordinal);   // a landline opens no wallet
        Assert.True((await ErrorsAsync(Bank(new string('1', 20)))).TryGetProperty("accountNumber", out _));   // 20 digits: too long
        var home = await ErrorsAsync(new { method = "home-delivery", homeDeliveryGround = "poor" });
        Assert.True(home.TryGetProperty("deliveryAddress", out _));
        Assert.Contains("người cao tuổi", home.GetProperty("homeDeliveryGround")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM payment_method WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)", new { Id = id }));
    }

    [Fact]
    public async Task Every_change_is_audited_and_notified_without_the_number_and_no_log_or_event_carries_it()
    {
        var (id, person) = await ElderlyAsync();
        var account = AccountNumber();
        var wallet = WalletNumber();
        var eventsBefore = await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE entitlement_id = @Id", new { Id = id });
        Assert.Equal(HttpStatusCode.OK, (await StaffPutAsync(officer, id, Bank(account))).Status);
        using var self = api.As("citizen", idNumber: person);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(self, "/api/v1/me/benefits/payment-method", Wallet(wallet))).Status);
        Assert.Equal(HttpStatusCode.OK, (await self.GetAsync("/api/v1/me/benefits/payment-method")).StatusCode);

        // The audit: who, role, unit, channel, the method before and after — and no number in any column.
        var view = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}/payment-method");
        var history = view.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("oldMethod").ValueKind);
        Assert.Equal("bank-account", history[0].GetProperty("newMethod").GetString());
        Assert.Equal("officer-payment", history[0].GetProperty("actor").GetString());
        Assert.Equal("ward-officer", history[0].GetProperty("actorRole").GetString());
        Assert.Equal(RegisterTests.Ward, history[0].GetProperty("actorUnit").GetString());
        Assert.Equal("staff", history[0].GetProperty("channel").GetString());
        Assert.Equal("bank-account", history[1].GetProperty("oldMethod").GetString());
        Assert.Equal("e-wallet", history[1].GetProperty("newMethod").GetString());
        Assert.Equal("citizen", history[1].GetProperty("channel").GetString());
        Assert.All(history, h => Assert.True(h.GetProperty("beneficiaryNotified").GetBoolean()));
        Assert.Equal(2, view.GetProperty("version").GetInt32());

        // The beneficiary is told on the dossier behind the benefit: the method, the last 4 digits, the day, whom to call.
        var bodies = (await NotificationBodiesAsync(id)).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Contains("tài khoản ngân hàng ••••" + account[^4..], bodies[0], StringComparison.Ordinal);
        Assert.Contains("ví điện tử ••••" + wallet[^4..], bodies[1], StringComparison.Ordinal);
        Assert.All(bodies, b => Assert.Contains("liên hệ ngay UBND xã/phường", b, StringComparison.Ordinal));
        Assert.All(bodies, b => Assert.DoesNotContain(account, b, StringComparison.Ordinal));
        Assert.All(bodies, b => Assert.DoesNotContain(wallet[1..], b, StringComparison.Ordinal));

        // Reads are access-logged; no outbox event for a payment change; no log line carries a number.
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE subject_id = @Id AND kind = 'payment-method' AND reader_role = 'ward-officer'", new { Id = id }),
            n => n > 0, TimeSpan.FromSeconds(10), "the staff read's access-log entry");
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE kind = 'payment-method' AND reader_role = 'citizen' AND subject_kind = 'payment-method'"),
            n => n > 0, TimeSpan.FromSeconds(10), "the beneficiary's read's access-log entry");
        Assert.Equal(eventsBefore, await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE entitlement_id = @Id", new { Id = id }));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(account, StringComparison.Ordinal) || l.Contains(wallet[1..], StringComparison.Ordinal));
    }

    private async Task<IEnumerable<string>> NotificationBodiesAsync(string entitlementId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        return await Dapper.SqlMapper.QueryAsync<string>(connection, """
            SELECT n.body FROM notification n JOIN entitlement e ON e.dossier_id = n.dossier_id
            WHERE e.id = @Id AND n.kind = 'payment-method-changed' AND n.channel = 'in-app' ORDER BY n.created_at, n.id
            """, new { Id = entitlementId });
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_the_ETag_is_the_methods_version()
    {
        var (id, person) = await ElderlyAsync();
        using (var first = await officer.GetAsync($"/api/v1/entitlements/{id}/payment-method"))
            Assert.Equal("\"0\"", first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await StaffPutAsync(officer, id, PostOffice, ifMatch: "\"0\"")).Status);
        var (stale, problem, _) = await StaffPutAsync(officer, id, Home("elderly"), ifMatch: "\"0\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        Assert.EndsWith("payment-method-changed", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        using var self = api.As("citizen", idNumber: person);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutAsync(self, "/api/v1/me/benefits/payment-method", Home("elderly"), ifMatch: "\"0\"")).Status);
        var (fresh, after, _) = await PutAsync(self, "/api/v1/me/benefits/payment-method", Home("elderly"), ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, fresh);
        Assert.Equal(2, after.GetProperty("version").GetInt32());
        Assert.Equal("post-office-cash", await api.ScalarAsync<string>(
            "SELECT c.new_method FROM payment_method_change c JOIN payment_method p ON p.id = c.payment_method_id " +
            "WHERE p.person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id) AND c.version = 1", new { Id = id }));
    }

    [Fact]
    public async Task Rekey_reseals_the_account_numbers_with_the_current_key_and_keeps_them_readable()
    {
        var (id, _) = await ElderlyAsync();
        var account = AccountNumber();
        Assert.Equal(HttpStatusCode.OK, (await StaffPutAsync(officer, id, Bank(account))).Status);
        const string Sql = "SELECT account_number FROM payment_method WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)";
        var db = api.Services.GetRequiredService<Db>();
        PersonalData With(string current)
        {
            var options = new PersonalDataOptions { CurrentKeyId = current };
            options.Keys["k-payment"] = SecondKey;
            return new PersonalData(Microsoft.Extensions.Options.Options.Create(options));
        }

        // Rotated to a new key: resealed with it, and the new key opens it.
        var rotated = With("k-payment");
        Assert.True(await PersonalDataRekey.PaymentAccountsAsync(db, rotated, CancellationToken.None) >= 1);
        var stored = await api.ScalarAsync<string>(Sql, new { Id = id });
        Assert.StartsWith("pd1.k-payment.", stored, StringComparison.Ordinal);
        Assert.Equal(account, rotated.Open(new Sealed(stored)));
        Assert.Equal(0, await PersonalDataRekey.PaymentAccountsAsync(db, rotated, CancellationToken.None));   // idempotent

        // And back to the service's key, so the rest of the run reads every row as before.
        Assert.True(await PersonalDataRekey.PaymentAccountsAsync(db, With(PersonalDataOptions.DevelopmentKeyId), CancellationToken.None) >= 1);
        Assert.StartsWith("pd1.dev-1.", await api.ScalarAsync<string>(Sql, new { Id = id }), StringComparison.Ordinal);
        Assert.Equal(account, (await api.Services.GetRequiredService<PayerAccounts>().ForEntitlementsAsync([Guid.Parse(id)], CancellationToken.None))
            [Guid.Parse(id)].AccountNumber);
    }

    private static readonly string SecondKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        foreach (var c in new[] { officer, chair, province, stranger }) c.Dispose();
    }
}
