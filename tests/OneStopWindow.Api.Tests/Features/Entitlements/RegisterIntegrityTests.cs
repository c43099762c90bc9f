using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Features.Beneficiaries;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// One person, one benefit, one open entitlement (issue 18): the database refuses a second one; a legacy record of
/// someone already paid under a new ward's decision is held, not paid again; merged legacy records keep the one
/// entitlement on the record that stays; a reported move is settled by the new ward's change-of-residence decision.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class RegisterIntegrityTests(ApiFactory api) : IDisposable
{
    private const string NewWard = "04828";
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward, subject: "officer-integrity");
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward, subject: "chair-integrity");
    private readonly HttpClient province = api.As("provincial-officer");

    private async Task<string> ApprovedAsync(string person, DateOnly born) =>
        await RegisterTests.EntitlementOfAsync(api, await RegisterTests.ApprovedAsync(api,
            RegisterTests.For("BTXH-01", person, born, RegisterTests.Elderly()), officer, chair));

    private Task<long> OpenOfPersonAsync(string entitlementId) => api.ScalarAsync<long>("""
        SELECT COUNT(*) FROM entitlement WHERE status IN ('Active', 'Suspended')
          AND person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id) AND benefit_code = 'BTXH-01'
        """, new { Id = entitlementId });

    private async Task<JsonElement> ImportAsync(string source, params string[] lines)
    {
        var path = Path.Combine(api.Folder, source + ".csv");
        await File.WriteAllTextAsync(path, BeneficiaryLists.Header + "\n" + string.Join("\n", lines) + "\n", Encoding.UTF8);
        return await ImportTests.FinishedAsync(province, await ImportTests.UploadAsync(province, path, source), TimeSpan.FromSeconds(60));
    }

    private static string Line(string record, string person, DateOnly born, string commune) => string.Create(CultureInfo.InvariantCulture,
        $"{record},{person},\"Đinh Thị Mơ\",{born:yyyy-MM-dd},{commune},\"Xóm Bưa\",BTXH-01,elderly-poor-no-supporter,750000,2024-03,\"5/QĐ-UBND\"");

    [Fact]
    public async Task The_database_refuses_a_second_open_entitlement_of_one_person_for_one_benefit_from_decisions()
    {
        var id = await ApprovedAsync(RegisterTests.IdBornIn(1944), new(1944, 3, 3));
        await using var connection = new SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        const string Copy = """
            INSERT INTO entitlement (id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source,
                                     suspension_reason, beneficiary_id, dossier_id, version, created_at, updated_at)
            SELECT @New, person_id_hash, full_name, benefit_code, '04828', start_month, NULL, @Status, amount_source, NULL, NULL, NULL, 1, created_at, updated_at
            FROM entitlement WHERE id = @Id
            """;
        var refused = await Assert.ThrowsAsync<SqliteException>(() =>
            Dapper.SqlMapper.ExecuteAsync(connection, Copy, new { New = Guid.NewGuid().ToString(), Status = "Suspended", Id = id }));
        Assert.Contains("UNIQUE", refused.Message, StringComparison.Ordinal);
        // A closed one (the old ward's, ended or transferred) is history, not a second payment: allowed.
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteAsync(connection, Copy, new { New = Guid.NewGuid().ToString(), Status = "Transferred", Id = id }));
        Assert.Equal(1L, await OpenOfPersonAsync(id));
    }

    [Fact]
    public async Task A_legacy_record_of_someone_already_paid_under_a_new_wards_decision_is_held_as_a_duplicate_not_paid_twice()
    {
        var born = new DateOnly(1943, 8, 8);
        var person = RegisterTests.IdBornIn(1943);
        var id = await ApprovedAsync(person, born);
        var (oneToOne, _) = await ImportTests.CommunesAsync(api.DatabasePath);

        var done = await ImportAsync("integrity-paid", Line("integrity-paid-1", person, born, oneToOne[0]));
        Assert.Equal(1, done.GetProperty("reverification").GetInt32());
        Assert.Equal("held-duplicate", await api.ScalarAsync<string>("SELECT entitlement FROM beneficiary WHERE source_system = 'integrity-paid'"));
        Assert.Equal("duplicate-person", await api.ScalarAsync<string>(
            "SELECT r.reason_code FROM reverification r JOIN beneficiary b ON b.id = r.subject_id WHERE b.source_system = 'integrity-paid'"));
        Assert.Equal(0L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM entitlement e JOIN beneficiary b ON b.id = e.beneficiary_id WHERE b.source_system = 'integrity-paid'"));
        Assert.Equal(1L, await OpenOfPersonAsync(id));
        Assert.Equal("Active", (await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Merging_the_paid_legacy_record_into_the_persons_other_record_keeps_the_one_entitlement_on_the_record_that_stays()
    {
        var born = new DateOnly(1942, 2, 2);
        var person = RegisterTests.IdBornIn(1942);
        var (oneToOne, split) = await ImportTests.CommunesAsync(api.DatabasePath);
        // First from a split commune (paid, waiting for the province to place it), then the same person from another
        // system (held as a duplicate): the province merges the paid record into the other one.
        await ImportAsync("integrity-merge-a", Line("integrity-merge-a-1", person, born, split[0]));
        await ImportAsync("integrity-merge-b", Line("integrity-merge-b-1", person, born, oneToOne[1]));
        var paid = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE source_system = 'integrity-merge-a'");
        var stays = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE source_system = 'integrity-merge-b'");
        var entitlement = await api.ScalarAsync<string>("SELECT id FROM entitlement WHERE beneficiary_id = @Paid", new { Paid = paid });
        var entry = await api.ScalarAsync<string>("SELECT id FROM reverification WHERE subject_id = @Paid AND status = 'open'", new { Paid = paid });

        using var merged = await province.PostAsJsonAsync($"/api/v1/reverifications/{entry}/resolution",
            new { action = "merge", mergeInto = stays, note = "Cùng một người: hai hệ thống cũ cùng ghi nhận." });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);

        var e = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{entitlement}");
        Assert.Equal(stays, e.GetProperty("beneficiaryId").GetString());
        Assert.Equal("Active", e.GetProperty("status").GetString());   // still paid, once
        // Placed in the ward the record that stays is known in (the split commune's record had none).
        Assert.Equal(["Imported", "RecordMerged", "WardAssigned"], e.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal(await api.ScalarAsync<string>("SELECT ward_code FROM beneficiary WHERE id = @Id", new { Id = stays }), e.GetProperty("wardCode").GetString());
        Assert.Equal("continues", await api.ScalarAsync<string>("SELECT entitlement FROM beneficiary WHERE id = @Id", new { Id = stays }));
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement WHERE beneficiary_id = @Paid", new { Paid = paid }));
        Assert.Equal(1L, await OpenOfPersonAsync(entitlement));
    }

    [Fact]
    public async Task Merging_two_records_that_are_both_paid_is_refused_so_one_person_never_holds_two_payments()
    {
        var born = new DateOnly(1941, 4, 4);
        var person = RegisterTests.IdBornIn(1941);
        var (oneToOne, split) = await ImportTests.CommunesAsync(api.DatabasePath);
        // A conflicting identity (same number, another birth date) keeps paying while re-verified: two paid records.
        await ImportAsync("integrity-both-a", Line("integrity-both-a-1", person, born, split[0]));
        await ImportAsync("integrity-both-b", Line("integrity-both-b-1", person, born.AddDays(1), oneToOne[2]));
        var a = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE source_system = 'integrity-both-a'");
        var b = await api.ScalarAsync<string>("SELECT id FROM beneficiary WHERE source_system = 'integrity-both-b'");
        Assert.Equal(2L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement WHERE beneficiary_id IN (@A, @B) AND status = 'Active'", new { A = a, B = b }));
        var entry = await api.ScalarAsync<string>("SELECT id FROM reverification WHERE subject_id = @A AND status = 'open'", new { A = a });

        using var refused = await province.PostAsJsonAsync($"/api/v1/reverifications/{entry}/resolution",
            new { action = "merge", mergeInto = b, note = "Cùng một người." });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("open", await api.ScalarAsync<string>("SELECT status FROM reverification WHERE id = @Id", new { Id = entry }));
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM beneficiary WHERE id = @A AND merged_into IS NOT NULL", new { A = a }));
    }

    [Fact]
    public async Task A_legacy_allowance_of_someone_paid_the_social_pension_under_a_decision_is_held_only_the_higher_is_paid()
    {
        var born = new DateOnly(1948, 9, 9);
        var person = RegisterTests.IdBornIn(1948);
        var pension = RegisterTests.For("BTXH-05", person, born, LifecycleTests.ExampleForm("BTXH-05").Deserialize<JsonObject>()!);
        var id = await RegisterTests.EntitlementOfAsync(api, await RegisterTests.ApprovedAsync(api, pension, officer, chair));
        Assert.Equal("BTXH-05", await api.ScalarAsync<string>("SELECT benefit_code FROM entitlement WHERE id = @Id", new { Id = id }));
        var (oneToOne, _) = await ImportTests.CommunesAsync(api.DatabasePath);

        var done = await ImportAsync("integrity-higher", Line("integrity-higher-1", person, born, oneToOne[3]));
        Assert.Equal(1, done.GetProperty("reverification").GetInt32());
        Assert.Equal("held-duplicate", await api.ScalarAsync<string>("SELECT entitlement FROM beneficiary WHERE source_system = 'integrity-higher'"));
        Assert.Equal(1L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM entitlement WHERE status = 'Active' AND person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)", new { Id = id }));
    }

    [Fact]
    public async Task A_reported_move_is_settled_by_the_new_wards_change_of_residence_decision_without_a_gap_or_an_overlap_Decree_147_2025()
    {
        var born = new DateOnly(1944, 5, 5);
        var person = RegisterTests.IdBornIn(1944);
        var (oneToOne, _) = await ImportTests.CommunesAsync(api.DatabasePath);
        string? commune = null, oldWard = null;
        foreach (var c in oneToOne)
        {
            oldWard = await api.ScalarAsync<string>("SELECT new_code FROM unit_succession WHERE old_code = @Old", new { Old = c });
            if (oldWard != NewWard) { commune = c; break; }
        }
        await ImportAsync("integrity-move", Line("integrity-move-1", person, born, commune!));
        var old = await api.ScalarAsync<string>(
            "SELECT e.id FROM entitlement e JOIN beneficiary b ON b.id = e.beneficiary_id WHERE b.source_system = 'integrity-move'");
        using var oldOfficer = api.As("ward-officer", oldWard);
        using (var reported = await oldOfficer.PostAsJsonAsync($"/api/v1/entitlements/{old}/move-report",
                   new { newResidence = "Khu 2, phường Nông Trang", note = "Gia đình báo chuyển đến ở cùng con." }))
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);

        // The new ward decides: the old ward paid up to last month (this month is held, not owed there); the new ward pays from this month.
        using var newOfficer = api.As("ward-officer", NewWard);
        using var newChair = api.As("ward-chair", NewWard);
        var form = LifecycleTests.ExampleForm("BTXH-02").Deserialize<JsonObject>()!;
        form["lastPaidMonth"] = RegisterTests.MonthOf(api, -1);
        var moved = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-02", person, born, form, NewWard), newOfficer, newChair);
        var created = await RegisterTests.EntitlementOfAsync(api, moved);

        var before = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{old}");
        Assert.Equal("Transferred", before.GetProperty("status").GetString());
        Assert.Equal(RegisterTests.MonthOf(api, -1), before.GetProperty("endMonth").GetString());
        Assert.Equal(["Imported", "Suspended", "Transferred"], before.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        var after = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{created}");
        Assert.Equal("Active", after.GetProperty("status").GetString());
        Assert.Equal(NewWard, after.GetProperty("wardCode").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), after.GetProperty("startMonth").GetString());
        Assert.Equal(1L, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM entitlement WHERE status IN ('Active', 'Suspended') AND person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)",
            new { Id = created }));

        // The beneficiary sees both: the old ward's ended with last month, the new ward's from this one.
        using var self = api.As("citizen", idNumber: person);
        var mine = (await self.GetFromJsonAsync<JsonElement>("/api/v1/me/benefits")).GetProperty("entitlements").EnumerateArray().ToList();
        Assert.Equal(["Transferred", "Active"], mine.Select(m => m.GetProperty("status").GetString()));
    }

    public void Dispose()
    {
        foreach (var c in new[] { officer, chair, province }) c.Dispose();
    }
}
