using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Integration;

/// <summary>API clients: registration, keys (hashed, rotated with overlap, revoked), scopes and restrictions, integration intake.</summary>
[Collection(ApiHost.Name)]
public sealed class ClientTests(ApiFactory api)
{
    private const string Ward = "04795";
    private const string OtherWard = "04828";

    [Fact]
    public async Task The_key_is_shown_once_and_stored_only_as_a_hash()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        Assert.StartsWith("osw_" + client.KeyId + "_", client.Key, StringComparison.Ordinal);
        var stored = await api.ScalarAsync<string>("SELECT key_hash FROM api_key WHERE id = @Id", new { Id = client.KeyId });
        Assert.Equal(64, stored.Length);
        Assert.DoesNotContain(client.Key[^20..], stored, StringComparison.Ordinal);

        using var admin = api.As("administrator");
        var listed = await admin.GetStringAsync("/api/v1/clients");
        Assert.Contains(client.KeyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Key, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_administrators_register_clients_and_bad_registrations_are_field_errors()
    {
        using var officer = api.As("provincial-officer");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/v1/clients", new { name = "x", scopes = new[] { "events:read" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PostAsJsonAsync("/api/v1/clients", new { name = "x", scopes = new[] { "events:read" } })).StatusCode);

        using var admin = api.As("administrator");
        using var bad = await admin.PostAsJsonAsync("/api/v1/clients", new { name = "", scopes = new[] { "everything" }, procedures = new[] { "NOPE-1" }, wards = new[] { "01001" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("scopes", out _));
        using var unknown = await admin.PostAsJsonAsync("/api/v1/clients", new { name = "x", scopes = new[] { "events:read" }, procedures = new[] { "NOPE-1" }, wards = new[] { "01001" } });
        var unknownErrors = (await unknown.ReadJsonAsync()).GetProperty("errors");
        Assert.True(unknownErrors.TryGetProperty("procedures", out _));
        Assert.True(unknownErrors.TryGetProperty("wards", out _));
    }

    [Fact]
    public async Task A_missing_wrong_or_revoked_key_answers_401_everywhere()
    {
        var client = await api.RegisterClientAsync(["events:read", "dossiers:read"]);
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/v1/events")).StatusCode);
        using var bearer = api.As("administrator");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/events")).StatusCode);
        foreach (var wrong in new[] { "nonsense", client.Key[..^2] + "xx", "osw_aaaaaaaaaaaa_" + new string('A', 43) })
        {
            using var http = api.WithKey(wrong);
            using var events = await http.GetAsync("/api/v1/events");
            Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
            Assert.Contains("ApiKey", events.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            // Even on a public endpoint a wrong key is refused rather than treated as anonymous.
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/v1/dossiers/{receipt.Code}")).StatusCode);
        }

        using var good = api.WithKey(client.Key);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/api/v1/events?limit=1")).StatusCode);
        using var admin = api.As("administrator");
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/clients/{client.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await good.GetAsync("/api/v1/events?limit=1")).StatusCode);
    }

    [Fact]
    public async Task Rotation_keeps_the_old_key_for_the_overlap_and_revocation_ends_a_key_at_once()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        using var admin = api.As("administrator");
        using var rotated = await admin.PostAsJsonAsync($"/api/v1/clients/{client.Id}/keys", new { overlapHours = 2 });
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var json = await rotated.ReadJsonAsync();
        var newKey = json.GetProperty("apiKey").GetString()!;
        var keys = json.GetProperty("client").GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(JsonValueKind.String, keys.Single(k => k.GetProperty("id").GetString() == client.KeyId).GetProperty("expiresAt").ValueKind);

        using var oldHttp = api.WithKey(client.Key);
        using var newHttp = api.WithKey(newKey);
        Assert.Equal(HttpStatusCode.OK, (await oldHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/clients/{client.Id}/keys/{client.KeyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/clients/{client.Id}/keys/{client.KeyId}")).StatusCode);
    }

    [Fact]
    public async Task An_expired_key_stops_working_after_the_overlap()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        using var admin = api.As("administrator");
        using var rotated = await admin.PostAsJsonAsync($"/api/v1/clients/{client.Id}/keys", new { overlapHours = 1 });
        var newKey = (await rotated.ReadJsonAsync()).GetProperty("apiKey").GetString()!;
        api.Clock.Advance(TimeSpan.FromHours(1.5));
        try
        {
            using var oldHttp = api.WithKey(client.Key);
            using var newHttp = api.WithKey(newKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await oldHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await newHttp.GetAsync("/api/v1/events?limit=1")).StatusCode);
        }
        finally
        {
            api.Clock.Reset();
        }
    }

    // scope → [POST integration dossier, GET dossier, GET timeline, GET documents, GET a document, GET notifications, GET events, GET webhooks,
    //          GET the dossier's entitlements, GET an entitlement (an unknown id: 404 once the scope lets the client ask)]
    public static TheoryData<string, int[]> ScopeMatrix => new()
    {
        { "dossiers:submit",   [201, 404, 404, 404, 404, 404, 403, 403, 404, 403] },
        { "dossiers:counter",  [403, 404, 404, 404, 404, 404, 403, 403, 404, 403] },
        { "dossiers:read",     [403, 200, 200, 404, 404, 404, 403, 403, 404, 403] },
        { "documents:read",    [403, 404, 404, 200, 200, 404, 403, 403, 404, 403] },
        { "events:read",       [403, 404, 404, 404, 404, 404, 200, 403, 404, 403] },
        { "entitlements:read", [403, 404, 404, 404, 404, 404, 403, 403, 200, 404] },
        { "webhooks:manage",   [403, 404, 404, 404, 404, 404, 403, 200, 404, 403] },
        { "payments:read",     [403, 404, 404, 404, 404, 404, 403, 403, 404, 403] },
        { "payments:write",    [403, 404, 404, 404, 404, 404, 403, 403, 404, 403] },
    };

    [Fact]
    public void The_matrix_covers_every_scope() =>
        Assert.Equal(Api.Infrastructure.Auth.Scopes.All.Order(StringComparer.Ordinal), ScopeMatrix.Select(row => (string)row[0]).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ScopeMatrix))]
    public async Task Each_scope_opens_exactly_its_endpoints(string scope, int[] expected)
    {
        var client = await api.RegisterClientAsync([scope]);
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());
        using var http = api.WithKey(client.Key);

        var body = ADossier.Valid().Body;
        body["externalReference"] = "ref-" + Guid.NewGuid().ToString("N");
        string document;
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("application-form"), "documentCode");
            form.Add(new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n" + Guid.NewGuid() + "\n%%EOF\n")), "file", "don.pdf");
            using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{receipt.Code}/documents") { Content = form };
            upload.Headers.Add("X-Tracking-Secret", receipt.Secret);
            using var uploaded = await api.CreateClient().SendAsync(upload);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            document = (await uploaded.ReadJsonAsync()).GetProperty("id").GetString()!;
        }
        var actual = new[]
        {
            (int)(await http.PostAsJsonAsync("/api/v1/integration/dossiers", body)).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}/timeline")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}/documents")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}/documents/{document}")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}/notifications")).StatusCode,
            (int)(await http.GetAsync("/api/v1/events?limit=1")).StatusCode,
            (int)(await http.GetAsync("/api/v1/webhooks")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/dossiers/{receipt.Code}/entitlements")).StatusCode,
            (int)(await http.GetAsync($"/api/v1/integration/entitlements/{Guid.NewGuid()}")).StatusCode,
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_client_cannot_use_staff_or_citizen_endpoints()
    {
        var client = await api.RegisterClientAsync(Api.Infrastructure.Auth.Scopes.All.ToArray());
        using var http = api.WithKey(client.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/api/v1/wards/{Ward}/dossiers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/escalations")).StatusCode);
    }

    [Fact]
    public async Task A_reading_client_cannot_attach_documents_and_a_filing_client_only_to_its_own_dossiers()
    {
        var reader = await api.RegisterClientAsync(["dossiers:read"]);
        var filer = await api.RegisterClientAsync(["dossiers:submit", "dossiers:read"]);
        var someoneElses = await ADossier.Valid().SubmitAsync(api.CreateClient());
        using var filerHttp = api.WithKey(filer.Key);
        var own = (await filerHttp.SubmitAsClientAsync(ADossier.Valid(), "own-" + Guid.NewGuid().ToString("N"))).GetProperty("code").GetString()!;

        async Task<HttpStatusCode> UploadAsync(HttpClient http, string code)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent("application-form"), "documentCode");
            form.Add(new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n" + Guid.NewGuid() + "\n%%EOF\n")), "file", "don.pdf");
            using var response = await http.PostAsync($"/api/v1/dossiers/{code}/documents", form);
            return response.StatusCode;
        }
        using var readerHttp = api.WithKey(reader.Key);
        Assert.Equal(HttpStatusCode.Forbidden, await UploadAsync(readerHttp, someoneElses.Code));
        Assert.Equal(HttpStatusCode.Forbidden, await UploadAsync(filerHttp, someoneElses.Code));
        Assert.Equal(HttpStatusCode.Created, await UploadAsync(filerHttp, own));
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier_document d JOIN dossier x ON x.id = d.dossier_id WHERE x.code = @Code",
            new { someoneElses.Code }));
    }

    [Fact]
    public async Task Integration_intake_is_idempotent_per_client_and_recorded_on_the_timeline()
    {
        var client = await api.RegisterClientAsync(["dossiers:submit", "dossiers:read"]);
        var other = await api.RegisterClientAsync(["dossiers:submit"]);
        using var http = api.WithKey(client.Key);
        var dossier = ADossier.Valid();
        var reference = "DVCQG-" + Guid.NewGuid().ToString("N")[..12];

        var first = await http.SubmitAsClientAsync(dossier, reference);
        var again = await http.SubmitAsClientAsync(dossier, reference);
        Assert.Equal(first.GetProperty("code").GetString(), again.GetProperty("code").GetString());
        Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier WHERE external_reference = @R", new { R = reference }));

        // Same reference, different content: refused; another client may use the same reference for its own dossier.
        await http.SubmitAsClientAsync(ADossier.Valid(), reference, 422);
        using var otherHttp = api.WithKey(other.Key);
        var theirs = await otherHttp.SubmitAsClientAsync(ADossier.Valid(), reference);
        Assert.NotEqual(first.GetProperty("code").GetString(), theirs.GetProperty("code").GetString());

        var timeline = await http.GetFromJsonAsync<JsonElement>($"/api/v1/dossiers/{first.GetProperty("code").GetString()}/timeline");
        var submitted = timeline.GetProperty("events").EnumerateArray().First();
        Assert.Equal("Submitted", submitted.GetProperty("kind").GetString());
        Assert.Contains(reference, submitted.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(client.Id.ToString("D"), await api.ScalarAsync<string>("SELECT client_id FROM dossier WHERE external_reference = @R AND client_id = @C",
            new { R = reference, C = client.Id.ToString("D") }));
    }

    [Fact]
    public async Task Integration_intake_validates_like_the_citizen_form_and_needs_a_reference()
    {
        var client = await api.RegisterClientAsync(["dossiers:submit"]);
        using var http = api.WithKey(client.Key);
        var before = await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier");
        var noReference = await http.PostAsJsonAsync("/api/v1/integration/dossiers", ADossier.Valid().Body);
        Assert.Equal(HttpStatusCode.BadRequest, noReference.StatusCode);
        Assert.True((await noReference.ReadJsonAsync()).GetProperty("errors").TryGetProperty("externalReference", out _));
        var bad = await http.SubmitAsClientAsync(ADossier.Valid().With("applicant.idNumber", "12345"), "ref-bad-" + Guid.NewGuid().ToString("N"), 400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("applicant.idNumber", out _));
        Assert.Equal(before, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier"));
    }

    [Fact]
    public async Task A_restricted_client_files_only_its_procedures_for_its_wards()
    {
        var client = await api.RegisterClientAsync(["dossiers:submit", "dossiers:read"], procedures: ["BTXH-01"], wards: [Ward]);
        using var http = api.WithKey(client.Key);
        var before = await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier");
        await http.SubmitAsClientAsync(ADossier.Valid().LivingIn(OtherWard), "r-" + Guid.NewGuid().ToString("N"), 403);
        var otherProcedure = ADossier.Valid().With("procedureCode", "BHYT-01");
        await http.SubmitAsClientAsync(otherProcedure, "r-" + Guid.NewGuid().ToString("N"), 403);
        Assert.Equal(before, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier"));

        var mine = await http.SubmitAsClientAsync(ADossier.Valid().LivingIn(Ward), "r-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/dossiers/{mine.GetProperty("code").GetString()}")).StatusCode);

        // Another ward's dossier is invisible: the same 404 as an unknown code.
        var elsewhere = await ADossier.Valid().LivingIn(OtherWard).SubmitAsync(api.CreateClient());
        await elsewhere.AfterIntakeAsync(api.CreateClient());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/dossiers/{elsewhere.Code}")).StatusCode);
    }
}
