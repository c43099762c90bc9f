using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Features.Dossiers;

/// <summary>Every field and timeline event has an audience; ownership follows identity; receipts are sealed; reads are logged.</summary>
[Collection(ApiHost.Name)]
public sealed class PrivacyTests(ApiFactory api)
{
    private const string Ward = "04795";

    private static async Task<JsonElement> GetAsync(HttpClient client, string url, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (secret is not null) request.Headers.Add("X-Tracking-Secret", secret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task An_anonymous_filing_for_someone_learns_nothing_of_their_other_dossier()
    {
        var person = ADossier.UniqueIdNumber();
        using var anonymous = api.CreateClient();
        var first = await ADossier.Valid().ForPerson(person).SubmitAsync(anonymous);
        await first.AfterIntakeAsync(anonymous);
        var probe = await ADossier.Valid().ForPerson(person).SubmitAsync(anonymous);
        await probe.AfterIntakeAsync(anonymous);

        // Staff see the possible duplicate, on the dossier and in the timeline.
        using var officer = api.As("ward-officer", Ward);
        var staffView = await GetAsync(officer, $"/api/v1/dossiers/{probe.Code}");
        Assert.Equal(first.Code, staffView.GetProperty("possibleDuplicateOf").GetString());
        Assert.Contains(first.Code, (await GetAsync(officer, $"/api/v1/dossiers/{probe.Code}/timeline")).GetRawText(), StringComparison.Ordinal);

        // The secret holder sees neither, nor the registries' findings.
        var view = await GetAsync(anonymous, $"/api/v1/dossiers/{probe.Code}", probe.Secret);
        var timeline = await GetAsync(anonymous, $"/api/v1/dossiers/{probe.Code}/timeline", probe.Secret);
        Assert.DoesNotContain(first.Code, view.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(first.Code, timeline.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("registryChecks").ValueKind);
        Assert.DoesNotContain(timeline.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "RegistryChecked");
    }

    [Fact]
    public async Task Every_view_is_masked_for_every_audience_by_the_one_table()
    {
        var person = ADossier.UniqueIdNumber();
        using var anonymous = api.CreateClient();
        var receipt = await ADossier.Valid().ForPerson(person).SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        using var officer = api.As("ward-officer", Ward);
        await Eventually.ReturnsAsync(() => GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}/timeline"),
            t => t.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "RegistryChecked"), TimeSpan.FromSeconds(20), "registry check");
        var client = await api.RegisterClientAsync(["dossiers:read", "events:read"]);
        using var integration = api.WithKey(client.Key);
        using var applicant = api.As("citizen", idNumber: person);

        var readers = new (Audience Audience, HttpClient Client, string? Secret)[]
        {
            (Audience.Staff, officer, null), (Audience.Applicant, applicant, null), (Audience.SecretHolder, anonymous, receipt.Secret), (Audience.Client, integration, null),
        };
        foreach (var (audience, http, secret) in readers)
        {
            var view = await GetAsync(http, $"/api/v1/dossiers/{receipt.Code}", secret);
            Assert.Equal(audience.Sees(DossierField.RegistryFindings), view.GetProperty("registryChecks").ValueKind == JsonValueKind.Array);
            Assert.Equal(audience.Sees(DossierField.FormFields), view.GetProperty("formFields").ValueKind == JsonValueKind.Object);
            Assert.Equal(audience.Sees(DossierField.ApplicantIdentity), view.GetProperty("applicant").GetProperty("idNumber").GetString() == person);
            if (!audience.Sees(DossierField.AssignedOfficer)) Assert.Equal(JsonValueKind.Null, view.GetProperty("assignedOfficer").ValueKind);

            var events = (await GetAsync(http, $"/api/v1/dossiers/{receipt.Code}/timeline", secret)).GetProperty("events").EnumerateArray().ToList();
            Assert.NotEmpty(events);
            foreach (var e in events)
            {
                var kind = e.GetProperty("kind").GetString()!;
                Assert.Equal(audience.Sees(DossierField.ActorIdentity), e.GetProperty("actor").ValueKind == JsonValueKind.String);
                if (audience == Audience.Staff) continue;
                var rule = TimelineAudience.For(kind);
                Assert.NotEqual(TimelineAudience.ApplicantView.Hidden, rule.View);
                if (rule.View == TimelineAudience.ApplicantView.FixedText) Assert.Equal(rule.Text, e.GetProperty("note").GetString());
            }
            Assert.Equal(audience == Audience.Staff, events.Any(e => e.GetProperty("kind").GetString() == "RegistryChecked"));

            // Notifications: the applicant's own messages; nothing in them names the person's number or a registry answer.
            if (audience != Audience.Client)
                foreach (var n in (await GetAsync(http, $"/api/v1/dossiers/{receipt.Code}/notifications", secret)).EnumerateArray())
                {
                    Assert.DoesNotContain(person, n.GetRawText(), StringComparison.Ordinal);
                    if (audience != Audience.Staff) Assert.NotEqual("staff", n.GetProperty("audience").GetString());
                }
        }

        // The event feed (what webhooks also send, as the same record): ids and status, no personal data, for the client audience.
        var ours = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var feed = await GetAsync(integration, "/api/v1/events?limit=1000" + (after is null ? "" : "&after=" + after));
            ours.AddRange(feed.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("dossier").ValueKind == JsonValueKind.Object
                && e.GetProperty("dossier").GetProperty("code").GetString() == receipt.Code));
            if (!feed.GetProperty("hasMore").GetBoolean()) break;
            after = feed.GetProperty("nextCursor").GetString();
        }
        Assert.NotEmpty(ours);
        foreach (var e in ours)
        {
            Assert.Equal(["code", "handlingWardCode", "href", "nationalStatusCode", "procedureCode", "status", "version"],
                e.GetProperty("dossier").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(person, e.GetRawText(), StringComparison.Ordinal);
        }
        Assert.Equal(typeof(OneStopWindow.Api.Features.Integration.IntegrationEventResponse),
            typeof(OneStopWindow.Api.Features.Integration.Webhooks.WebhookPayload).GetProperty("Data")!.PropertyType);
    }

    [Fact]
    public async Task Ownership_follows_identity_and_the_person_sees_a_filing_by_someone_else()
    {
        var filer = ADossier.UniqueIdNumber();
        var person = ADossier.UniqueIdNumber();
        using var filerClient = api.As("citizen", idNumber: filer);
        var receipt = await ADossier.Valid().ForPerson(person).SubmitAsync(filerClient);
        await receipt.AfterIntakeAsync(api.CreateClient());

        // The filer is not the applicant: the token gives nothing, the secret gives the masked view.
        Assert.Equal(HttpStatusCode.NotFound, (await filerClient.GetAsync($"/api/v1/dossiers/{receipt.Code}")).StatusCode);
        var masked = await GetAsync(filerClient, $"/api/v1/dossiers/{receipt.Code}", receipt.Secret);
        Assert.NotEqual(person, masked.GetProperty("applicant").GetProperty("idNumber").GetString());
        var filersList = await GetAsync(filerClient, "/api/v1/me/dossiers");
        Assert.DoesNotContain(filersList.GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == receipt.Code);

        // The person sees it in their list, marked as filed by someone else, with nothing about the filer.
        using var personClient = api.As("citizen", idNumber: person);
        var full = await GetAsync(personClient, $"/api/v1/dossiers/{receipt.Code}");
        Assert.Equal(person, full.GetProperty("applicant").GetProperty("idNumber").GetString());
        var item = (await GetAsync(personClient, "/api/v1/me/dossiers")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("code").GetString() == receipt.Code);
        Assert.True(item.GetProperty("filedByOther").GetBoolean());
        Assert.Contains("Nộp bởi người khác", item.GetProperty("filedByNote").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(filer, item.GetRawText(), StringComparison.Ordinal);

        // They report it, then withdraw it; the ward sees the report.
        using var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{receipt.Code}/misuse-report")
        { Content = JsonContent.Create(new { reason = "Tôi không nộp hồ sơ này." }) };
        report.Headers.TryAddWithoutValidation("If-Match", $"\"{full.GetProperty("version").GetInt32()}\"");
        using var reported = await personClient.SendAsync(report);
        Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        using var officer = api.As("ward-officer", Ward);
        Assert.Contains((await GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}/timeline")).GetProperty("events").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "ReportedByApplicant");
        using var withdraw = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{receipt.Code}/withdrawal")
        { Content = JsonContent.Create(new { reason = "Không phải tôi đề nghị." }) };
        withdraw.Headers.TryAddWithoutValidation("If-Match", reported.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await personClient.SendAsync(withdraw)).StatusCode);

        // The filer cannot report (only the person, signed in, may).
        using var byFiler = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{receipt.Code}/misuse-report") { Content = JsonContent.Create(new { reason = "x" }) };
        byFiler.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.NotFound, (await filerClient.SendAsync(byFiler)).StatusCode);
    }

    [Fact]
    public async Task A_hash_claim_in_a_token_is_ignored_the_service_computes_the_callers_own()
    {
        var person = ADossier.UniqueIdNumber();
        var receipt = await ADossier.Valid().ForPerson(person).SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());

        // A token for someone else that carries the person's hash as the claim the service adds at authentication.
        var options = new OneStopWindow.Api.Infrastructure.Auth.AuthOptions();
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = new Dictionary<string, object>
            {
                ["role"] = "citizen",
                ["sub"] = "citizen-forger",
                ["id_number"] = ADossier.UniqueIdNumber(),
                [OneStopWindow.Api.Infrastructure.Auth.Claims.IdHash] = api.Services.GetRequiredService<OneStopWindow.Api.Infrastructure.Data.PersonalData>().Hash(person),
            },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new(options.Key(), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var forger = api.CreateClient();
        forger.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        Assert.Equal(HttpStatusCode.NotFound, (await forger.GetAsync($"/api/v1/dossiers/{receipt.Code}")).StatusCode);
        Assert.DoesNotContain((await GetAsync(forger, "/api/v1/me/dossiers")).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("code").GetString() == receipt.Code);

        using var personClient = api.As("citizen", idNumber: person);
        Assert.Equal(HttpStatusCode.OK, (await personClient.GetAsync($"/api/v1/dossiers/{receipt.Code}")).StatusCode);
    }

    [Fact]
    public async Task Receipts_are_sealed_at_rest_and_purged_after_the_retry_window()
    {
        using var anonymous = api.CreateClient();
        var key = Guid.NewGuid().ToString();
        var dossier = ADossier.Valid();
        var receipt = await dossier.SubmitAsync(anonymous, key);
        var stored = await api.ScalarAsync<string>("SELECT response_body FROM idempotency_record WHERE idem_key = @Key", new { Key = key });
        Assert.DoesNotContain(receipt.Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(receipt.Code, stored, StringComparison.Ordinal);
        var replay = await dossier.SubmitAsync(anonymous, key);   // the sealed receipt opens again for the retry
        Assert.Equal((receipt.Code, receipt.Secret), (replay.Code, replay.Secret));

        await using (var db = new SqliteConnection($"Data Source={api.DatabasePath}"))
            await db.ExecuteAsync("UPDATE idempotency_record SET created_at = '2020-01-01T00:00:00.0000000Z' WHERE idem_key = @Key", new { Key = key });
        await using (var scope = api.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<PurgeReceiptsJob>().Run(CancellationToken.None) >= 1);
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = @Key", new { Key = key }));
    }

    [Fact]
    public async Task A_clients_reference_mapping_keeps_no_tracking_secret()
    {
        var client = await api.RegisterClientAsync(["dossiers:submit", "dossiers:read"]);
        using var integration = api.WithKey(client.Key);
        var reference = "REF-" + Guid.NewGuid().ToString("N")[..12];
        var first = await integration.SubmitAsClientAsync(ADossier.Valid(), reference);
        var secret = first.GetProperty("trackingSecret").GetString()!;
        var stored = await api.ScalarAsync<string>("SELECT response_body FROM idempotency_record WHERE idem_key = @Key", new { Key = reference });
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        await using (var scope = api.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PurgeReceiptsJob>().Run(CancellationToken.None);
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = @Key", new { Key = reference }));
    }

    [Fact]
    public async Task The_applicant_sees_who_read_their_file_by_role_and_unit()
    {
        using var anonymous = api.CreateClient();
        var receipt = await ADossier.Valid().SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        using var officer = api.As("ward-officer", Ward, subject: "officer-privacy-1");
        await GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}");
        await GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}");   // the same read again within a minute: one entry
        await GetAsync(officer, $"/api/v1/wards/{Ward}/dossiers?limit=200&q={receipt.Code}");
        await GetAsync(anonymous, $"/api/v1/dossiers/{receipt.Code}", receipt.Secret);   // the applicant's own read is not logged
        await api.Services.GetRequiredService<AccessLogWriter>().FlushAsync(CancellationToken.None);

        var log = (await GetAsync(anonymous, $"/api/v1/dossiers/{receipt.Code}/access-log", receipt.Secret)).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["dossier-view", "queue-page"], log.Select(e => e.GetProperty("kind").GetString()).Order());
        Assert.All(log, e =>
        {
            Assert.Equal("ward-officer", e.GetProperty("readerRole").GetString());
            Assert.Equal(Ward, e.GetProperty("readerUnit").GetString());
            Assert.Equal(JsonValueKind.Null, e.GetProperty("readerId").ValueKind);
        });
        var staffLog = (await GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}/access-log")).GetProperty("entries").EnumerateArray();
        Assert.All(staffLog, e => Assert.Equal("officer-privacy-1", e.GetProperty("readerId").GetString()));
        var stored = await api.ScalarAsync<long>("SELECT COUNT(*) FROM access_log a JOIN dossier d ON d.id = a.subject_id WHERE d.code = @Code", new { receipt.Code });
        Assert.True(stored >= 2);
    }

    [Fact]
    public async Task Ward_staff_page_through_their_wards_access_log_and_no_one_else_reads_it()
    {
        using var anonymous = api.CreateClient();
        var receipt = await ADossier.Valid().SubmitAsync(anonymous);
        await receipt.AfterIntakeAsync(anonymous);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var officer = api.As("ward-officer", Ward, subject: "officer-ward-log-1");
        var queue = await GetAsync(officer, $"/api/v1/wards/{Ward}/dossiers?limit=40");
        var listed = queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();
        await GetAsync(officer, $"/api/v1/dossiers/{receipt.Code}");
        await api.Services.GetRequiredService<AccessLogWriter>().FlushAsync(CancellationToken.None);

        // Pages of 7 (a queue page's rows share one time: the cursor must not skip or repeat any of them), newest first.
        using var chair = api.As("ward-chair", Ward);
        var ours = new List<(string Kind, string Subject)>();
        for (string? cursor = null; ;)
        {
            var page = await GetAsync(chair, $"/api/v1/wards/{Ward}/access-log?limit=7" + (cursor is null ? "" : "&cursor=" + cursor));
            var entries = page.GetProperty("entries").EnumerateArray().ToList();
            ours.AddRange(entries.Where(e => e.GetProperty("readerId").GetString() == "officer-ward-log-1")
                .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("subject").GetString()!)));
            cursor = page.GetProperty("next").GetString();
            if (cursor is null || entries.Any(e => e.GetProperty("readAt").GetDateTimeOffset() < started)) break;
        }
        Assert.Equal(listed.Order(StringComparer.Ordinal), ours.Where(e => e.Kind == "queue-page").Select(e => e.Subject).Order(StringComparer.Ordinal));
        Assert.Equal([receipt.Code], ours.Where(e => e.Kind == "dossier-view").Select(e => e.Subject));

        // Another ward's staff and citizens do not read it; a made-up cursor is a field error.
        using var otherWard = api.As("ward-officer", "00001");
        Assert.Equal(HttpStatusCode.NotFound, (await otherWard.GetAsync($"/api/v1/wards/{Ward}/access-log")).StatusCode);
        using var citizen = api.As("citizen", idNumber: ADossier.UniqueIdNumber());
        Assert.Equal(HttpStatusCode.Forbidden, (await citizen.GetAsync($"/api/v1/wards/{Ward}/access-log")).StatusCode);
        using var bad = await chair.GetAsync($"/api/v1/wards/{Ward}/access-log?cursor=x'--");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cursor", (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
