using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Beneficiaries;

/// <summary>Importing former provinces' beneficiary lists: mapping through the succession data, re-verification, idempotence.</summary>
[Collection(ApiHost.Name)]
public sealed class ImportTests(ApiFactory api)
{
    internal static async Task<(List<string> OneToOne, List<string> Split)> CommunesAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        // Former communes with a successor among the reserved wards are left out: those wards stay for whole-ward tests.
        var rows = (await Dapper.SqlMapper.QueryAsync<(string Old, long N)>(connection,
            "SELECT old_code, COUNT(*) FROM unit_succession WHERE LENGTH(old_code) = 5 AND old_code NOT IN " +
            "(SELECT old_code FROM unit_succession WHERE new_code IN @Reserved) GROUP BY old_code ORDER BY old_code",
            new { Reserved = ReservedWards.All })).ToList();
        return (rows.Where(r => r.N == 1).Select(r => r.Old).ToList(), rows.Where(r => r.N > 1).Select(r => r.Old).ToList());
    }

    internal static async Task<JsonElement> UploadAsync(HttpClient client, string path, string source, string contentType = "text/csv")
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new(contentType);
        using var response = await client.PostAsync($"/api/v1/imports?sourceSystem={source}&fileName={Path.GetFileName(path)}", content);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToString());
        return json;
    }

    internal static Task<JsonElement> FinishedAsync(HttpClient client, JsonElement operation, TimeSpan timeout) =>
        Eventually.ReturnsAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{operation.GetProperty("id").GetString()}"),
            o => o.GetProperty("status").GetString() is "completed" or "failed", timeout, "the import to finish");

    [Fact]
    public async Task A_hundred_thousand_row_list_gives_the_exact_counts_and_queue_entries_and_a_second_run_changes_nothing()
    {
        _ = api.Services;   // the host (and so the migrated, seeded database) exists before the file is read
        var (oneToOne, split) = await CommunesAsync(api.DatabasePath);
        var path = Path.Combine(api.Folder, "hoabinh-btxh.csv");
        var expected = BeneficiaryLists.Write(path, 100_000, "026045", oneToOne, split);
        using var province = api.As("provincial-officer");

        var operation = await UploadAsync(province, path, "hoabinh-btxh");
        Assert.Equal("queued", operation.GetProperty("status").GetString());
        var done = await FinishedAsync(province, operation, TimeSpan.FromMinutes(5));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(expected.Rows, done.GetProperty("rowsDone").GetInt32());
        Assert.Equal(expected.Mapped, done.GetProperty("mapped").GetInt32());
        Assert.Equal(expected.Reverification, done.GetProperty("reverification").GetInt32());
        Assert.Equal(expected.Rejected, done.GetProperty("rejected").GetInt32());
        Assert.Equal(expected.RepeatedInFile, done.GetProperty("unchanged").GetInt32());

        const string Mine = "FROM beneficiary WHERE source_system = 'hoabinh-btxh'";
        Assert.Equal(expected.Imported, await api.ScalarAsync<long>("SELECT COUNT(*) " + Mine));
        Assert.Equal(expected.Imported - 0L, await api.ScalarAsync<long>("SELECT COUNT(*) " + Mine + " AND entitlement IN ('continues', 'held-duplicate')"));
        Assert.Equal(expected.Duplicate, await api.ScalarAsync<long>("SELECT COUNT(*) " + Mine + " AND entitlement = 'held-duplicate'"));
        string Queue(string reason) => $"SELECT COUNT(*) FROM reverification r JOIN beneficiary b ON b.id = r.subject_id WHERE b.source_system = 'hoabinh-btxh' AND r.reason_code = '{reason}'";
        Assert.Equal(expected.Split, await api.ScalarAsync<long>(Queue("split")));
        Assert.Equal(expected.Unknown, await api.ScalarAsync<long>(Queue("unknown-code")));
        Assert.Equal(expected.Conflicting, await api.ScalarAsync<long>(Queue("conflicting-identity")));
        Assert.Equal(expected.Duplicate, await api.ScalarAsync<long>(Queue("duplicate-person")));
        Assert.Equal(expected.Mapped, await api.ScalarAsync<long>("SELECT COUNT(*) " + Mine + " AND ward_code IS NOT NULL AND id NOT IN (SELECT subject_id FROM reverification)"));

        // The per-row report pages through every row with its reason.
        var rejectedRows = new List<JsonElement>();
        for (int? after = 0; after is not null;)
        {
            var page = await province.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{done.GetProperty("id").GetString()}/rows?outcome=rejected&limit=1000&after={after}");
            rejectedRows.AddRange(page.GetProperty("rows").EnumerateArray().Select(r => r.Clone()));
            after = page.GetProperty("nextAfter").ValueKind == JsonValueKind.Number ? page.GetProperty("nextAfter").GetInt32() : null;
        }
        Assert.Equal(expected.Rejected, rejectedRows.Count);
        Assert.All(rejectedRows, r => Assert.Contains("định danh", r.GetProperty("reason").GetString()!, StringComparison.Ordinal));

        // The same file again: every readable record is unchanged, nothing is added.
        var beneficiaries = await api.ScalarAsync<long>("SELECT COUNT(*) FROM beneficiary");
        var entries = await api.ScalarAsync<long>("SELECT COUNT(*) FROM reverification");
        var again = await FinishedAsync(province, await UploadAsync(province, path, "hoabinh-btxh"), TimeSpan.FromMinutes(5));
        Assert.Equal(expected.Rows - expected.Rejected, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(expected.Rejected, again.GetProperty("rejected").GetInt32());
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
        Assert.Equal(beneficiaries, await api.ScalarAsync<long>("SELECT COUNT(*) FROM beneficiary"));
        Assert.Equal(entries, await api.ScalarAsync<long>("SELECT COUNT(*) FROM reverification"));
    }

    [Fact]
    public async Task A_json_list_is_imported_like_a_csv_one_and_bad_uploads_are_refused()
    {
        using var province = api.As("provincial-officer");
        var sample = File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot.Path, "api-specs", "samples", "beneficiaries.json"));
        using var content = new StringContent(sample, Encoding.UTF8, "application/json");
        using var response = await province.PostAsync("/api/v1/imports?sourceSystem=sample-json", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await FinishedAsync(province, await response.ReadJsonAsync(), TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(JsonDocument.Parse(sample).RootElement.GetArrayLength(), done.GetProperty("rowsDone").GetInt32());
        Assert.True(done.GetProperty("mapped").GetInt32() > 0);

        using var xml = new StringContent("<list/>", Encoding.UTF8, "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await province.PostAsync("/api/v1/imports?sourceSystem=x-y", xml)).StatusCode);
        using var csv = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, (await province.PostAsync("/api/v1/imports?sourceSystem=Bad Name", csv)).StatusCode);
        using var officer = api.As("ward-officer", "04795");
        using var csv2 = new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync("/api/v1/imports?sourceSystem=x-y", csv2)).StatusCode);
        // Authorization comes before any check of the body: a format the endpoint does not take is still 403 for a ward
        // officer and 401 without a token, never 415.
        using var xml2 = new StringContent("<list/>", Encoding.UTF8, "application/xml");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsync("/api/v1/imports?sourceSystem=x-y", xml2)).StatusCode);
        using var xml3 = new StringContent("<list/>", Encoding.UTF8, "application/xml");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PostAsync("/api/v1/imports?sourceSystem=x-y", xml3)).StatusCode);
    }

    [Fact]
    public async Task Officers_settle_the_queue_and_the_resolution_is_on_the_timeline()
    {
        _ = api.Services;   // the host (and so the migrated, seeded database) exists before the file is read
        var (oneToOne, split) = await CommunesAsync(api.DatabasePath);
        var path = Path.Combine(api.Folder, "settle.csv");
        BeneficiaryLists.Write(path, 100, "027045", oneToOne, split);
        using var province = api.As("provincial-officer");
        await FinishedAsync(province, await UploadAsync(province, path, "settle-test"), TimeSpan.FromSeconds(60));

        var queue = await province.GetFromJsonAsync<JsonElement>("/api/v1/reverifications?ward=province&limit=200");
        var splitEntry = queue.GetProperty("items").EnumerateArray().First(i => i.GetProperty("reasonCode").GetString() == "split"
            && i.GetProperty("subject").GetProperty("fullName").GetString()!.StartsWith("Hà Văn", StringComparison.Ordinal));
        var candidates = splitEntry.GetProperty("candidateWards").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.True(candidates.Count > 1);

        using var resolved = await province.PostAsJsonAsync($"/api/v1/reverifications/{splitEntry.GetProperty("id").GetString()}/resolution",
            new { action = "confirm-ward", wardCode = candidates[0], note = "Đối chiếu CSDL cư trú: thôn thuộc phần sáp nhập vào xã mới." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var json = await resolved.ReadJsonAsync();
        Assert.Equal("resolved", json.GetProperty("status").GetString());
        Assert.Equal(candidates[0], json.GetProperty("subject").GetProperty("wardCode").GetString());
        var record = await province.GetFromJsonAsync<JsonElement>($"/api/v1/beneficiaries/{json.GetProperty("subject").GetProperty("id").GetString()}");
        Assert.Equal(candidates[0], record.GetProperty("wardCode").GetString());
        Assert.Equal("continues", record.GetProperty("entitlement").GetString());
        var entry = Assert.Single(record.GetProperty("timeline").EnumerateArray());
        Assert.Equal("WardConfirmed", entry.GetProperty("kind").GetString());
        Assert.Contains("CSDL cư trú", entry.GetProperty("note").GetString()!, StringComparison.Ordinal);
        using var stranger = api.As("ward-officer", candidates[0] == "04795" ? "04828" : "04795");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/beneficiaries/{json.GetProperty("subject").GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await province.PostAsJsonAsync($"/api/v1/reverifications/{splitEntry.GetProperty("id").GetString()}/resolution",
            new { action = "confirm-ward", wardCode = candidates[0], note = "lần hai" })).StatusCode);

        // A duplicate goes to its ward's queue; that ward's officer merges it into the person's first record.
        var duplicate = await api.ScalarAsync<string>("""
            SELECT r.id FROM reverification r JOIN beneficiary b ON b.id = r.subject_id
            WHERE b.source_system = 'settle-test' AND r.reason_code = 'duplicate-person' LIMIT 1
            """);
        var ward = await api.ScalarAsync<string>("SELECT queue_ward FROM reverification WHERE id = @Id", new { Id = duplicate });
        var related = await api.ScalarAsync<string>("SELECT related_id FROM reverification WHERE id = @Id", new { Id = duplicate });
        using var wardOfficer = api.As("ward-officer", ward);
        using var other = api.As("ward-officer", ward == "04795" ? "04828" : "04795");
        // Another ward's entry answers exactly as an unknown id does.
        using (var foreign = await other.PostAsJsonAsync($"/api/v1/reverifications/{duplicate}/resolution", new { action = "merge", mergeInto = related, note = "x" }))
        using (var unknown = await other.PostAsJsonAsync($"/api/v1/reverifications/{Guid.NewGuid()}/resolution", new { action = "merge", mergeInto = related, note = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal((await unknown.ReadJsonAsync()).GetProperty("title").GetString(), (await foreign.ReadJsonAsync()).GetProperty("title").GetString());
        }
        // The ward's own officer may neither hand the person to another ward nor merge into another ward's record.
        var elsewhere = ward == "04795" ? "04828" : "04795";
        Assert.Equal(HttpStatusCode.Forbidden, (await wardOfficer.PostAsJsonAsync($"/api/v1/reverifications/{duplicate}/resolution",
            new { action = "confirm-ward", wardCode = elsewhere, note = "x" })).StatusCode);
        var otherWardsRecord = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE ward_code = @Ward LIMIT 1", new { Ward = elsewhere });
        Assert.Equal(HttpStatusCode.Forbidden, (await wardOfficer.PostAsJsonAsync($"/api/v1/reverifications/{duplicate}/resolution",
            new { action = "merge", mergeInto = otherWardsRecord, note = "x" })).StatusCode);
        var seen = new List<string>();
        for (string? after = null, first = ""; first is not null; first = after)
        {
            var page = await wardOfficer.GetFromJsonAsync<JsonElement>("/api/v1/reverifications?limit=200" + (after is null ? "" : "&after=" + after));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal(ward, i.GetProperty("queueWard").GetString()));
            after = page.GetProperty("nextAfter").GetString();
            if (after is null) break;
        }
        Assert.Contains(duplicate, seen);
        using var merged = await wardOfficer.PostAsJsonAsync($"/api/v1/reverifications/{duplicate}/resolution",
            new { action = "merge", mergeInto = related, note = "Cùng một người trong hai danh sách cũ; giữ bản ghi đầu." });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("merged", (await merged.ReadJsonAsync()).GetProperty("subject").GetProperty("entitlement").GetString());
    }

    [Fact]
    public async Task A_dossier_sent_to_re_verification_at_intake_is_settled_through_the_same_queue()
    {
        var receipt = await ADossier.Valid().LivingIn("04891", "pre2025").SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());
        using var province = api.As("provincial-officer");
        var items = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var page = await province.GetFromJsonAsync<JsonElement>("/api/v1/reverifications?ward=province&limit=200" + (after is null ? "" : "&after=" + after));
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            after = page.GetProperty("nextAfter").GetString();
            if (after is null) break;
        }
        var item = items.First(i => i.GetProperty("subject").GetProperty("dossierCode").GetString() == receipt.Code);
        Assert.Equal("split", item.GetProperty("reasonCode").GetString());
        var ward = item.GetProperty("candidateWards")[0].GetString();

        using var resolved = await province.PostAsJsonAsync($"/api/v1/reverifications/{item.GetProperty("id").GetString()}/resolution",
            new { action = "confirm-ward", wardCode = ward, note = "Thôn Đồng Phú thuộc phần sáp nhập." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var status = await receipt.StatusAsync(api.CreateClient());
        Assert.Equal("Received", status.GetProperty("status").GetString());
        Assert.Equal(ward, status.GetProperty("handlingWardCode").GetString());
        Assert.Contains("WardAssigned", await receipt.EventKindsAsync(api.CreateClient()));
    }
}
