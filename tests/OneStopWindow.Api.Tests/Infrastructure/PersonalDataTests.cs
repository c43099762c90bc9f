using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>Identity numbers and forms are sealed at rest; lookups use keyed hashes; keys rotate without losing a row.</summary>
[Collection(ApiHost.Name)]
public sealed class PersonalDataTests(ApiFactory api)
{
    private static readonly string SecondKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static PersonalData With(string current, params (string Id, string Key)[] keys)
    {
        var options = new PersonalDataOptions { CurrentKeyId = current };
        foreach (var (id, key) in keys) options.Keys[id] = key;
        return new PersonalData(Options.Create(options));
    }

    [Fact]
    public void Sealing_is_authenticated_encryption_with_a_fresh_nonce_and_the_key_id_in_the_value()
    {
        var data = With(PersonalDataOptions.DevelopmentKeyId);
        var a = data.Seal("025150001234").Stored;
        var b = data.Seal("025150001234").Stored;
        Assert.NotEqual(a, b);
        Assert.StartsWith("pd1.dev-1.", a, StringComparison.Ordinal);
        Assert.DoesNotContain("025150001234", a, StringComparison.Ordinal);
        Assert.Equal("025150001234", data.Open(new Sealed(a)));
        var bytes = Convert.FromBase64String(a["pd1.dev-1.".Length..]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => data.Open(new Sealed("pd1.dev-1." + Convert.ToBase64String(bytes))));
        Assert.Equal("plain before encryption", data.Open(new Sealed("plain before encryption")));
    }

    [Fact]
    public void After_a_rotation_old_values_stay_readable_new_ones_use_the_new_key_and_an_unknown_key_is_named()
    {
        var old = With(PersonalDataOptions.DevelopmentKeyId);
        var rotated = With("k2", ("k2", SecondKey));
        var sealedBefore = old.Seal("Khuyết tật nặng");
        Assert.Equal("Khuyết tật nặng", rotated.Open(sealedBefore));
        Assert.True(rotated.NeedsRekey(sealedBefore));
        var sealedAfter = rotated.Seal("Khuyết tật nặng");
        Assert.StartsWith("pd1.k2.", sealedAfter.Stored, StringComparison.Ordinal);
        Assert.False(rotated.NeedsRekey(sealedAfter));
        var error = Assert.ThrowsAny<CryptographicException>(() => old.Open(sealedAfter));
        Assert.Contains("'k2'", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => With("k3"));
        Assert.Throws<InvalidOperationException>(() => With("short", ("short", Convert.ToBase64String(new byte[16]))));
    }

    [Fact]
    public void The_lookup_hash_is_keyed_so_it_cannot_be_recomputed_without_the_key()
    {
        var data = With(PersonalDataOptions.DevelopmentKeyId);
        Assert.Equal(data.Hash("025150001234"), data.Hash("025150001234"));
        Assert.NotEqual(data.Hash("025150001234"), data.Hash("025150001235"));
        Assert.NotEqual(Convert.ToHexString(SHA256.HashData("025150001234"u8)), data.Hash("025150001234"));
        var otherKey = new PersonalData(Options.Create(new PersonalDataOptions { HashKey = SecondKey }));
        Assert.NotEqual(data.Hash("025150001234"), otherKey.Hash("025150001234"));
    }

    [Fact]
    public async Task A_filed_dossier_stores_no_plain_identity_number_or_form_and_its_citizen_still_finds_it()
    {
        var id = ADossier.UniqueIdNumber();
        var citizen = api.As("citizen", idNumber: id);
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(citizen);

        Assert.StartsWith("pd1.", await api.ScalarAsync<string>("SELECT applicant_id_number FROM dossier WHERE code = @Code", new { receipt.Code }), StringComparison.Ordinal);
        var form = await api.ScalarAsync<string>("SELECT form_data FROM dossier WHERE code = @Code", new { receipt.Code });
        Assert.StartsWith("pd1.", form, StringComparison.Ordinal);
        Assert.DoesNotContain("circumstances", form, StringComparison.Ordinal);
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier WHERE code = @Code AND (owner_id_number IS NOT NULL OR applicant_id_number LIKE @Id)",
            new { receipt.Code, Id = "%" + id + "%" }));
        var hash = api.Services.GetRequiredService<PersonalData>().Hash(id);
        Assert.Equal(hash, await api.ScalarAsync<string>("SELECT owner_id_hash FROM dossier WHERE code = @Code", new { receipt.Code }));

        var mine = await citizen.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me/dossiers");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == receipt.Code);
        var own = await (await citizen.GetAsync($"/api/v1/dossiers/{receipt.Code}")).ReadJsonAsync();
        Assert.Equal(id, own.GetProperty("applicant").GetProperty("idNumber").GetString());          // the owner sees it whole
        var bySecret = await receipt.StatusAsync(api.CreateClient());
        Assert.NotEqual(id, bySecret.GetProperty("applicant").GetProperty("idNumber").GetString());   // a tracking-secret holder sees it masked
        Assert.Equal("circumstances", own.GetProperty("formFields").EnumerateObject().Single(p => p.Name == "circumstances").Name);

        // A second filing for the same person and procedure is found through the hash at intake.
        var second = await ADossier.Valid().ForPerson(id).SubmitAsync(citizen);
        await second.AfterIntakeAsync(citizen);
        Assert.Equal(receipt.Code, await api.ScalarAsync<string>("SELECT possible_duplicate_of FROM dossier WHERE code = @Code", new { second.Code }));
    }

    [Fact]
    public async Task Rekey_seals_rows_written_before_encryption_and_fills_their_lookup_hashes()
    {
        _ = api.Services;
        var id = ADossier.UniqueIdNumber();
        var code = "25-" + DateTime.UtcNow.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-9" + id[^6..];
        await using (var connection = new SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO dossier (id, code, procedure_code, status, channel, received_unit_code, applicant_name, applicant_birth_date, applicant_id_number,
                    applicant_phone, residence_era, residence_code, handling_ward_code, queue_name, form_data, tracking_secret_hash, received_at, appointment_date,
                    processing_days, version, updated_at, owner_id_number)
                VALUES (@Id, @Code, 'BTXH-01', 'Received', 'online', '25', 'Người Cũ', '1950-03-15', @IdNumber, '0912345678', 'current', '04795', '04795',
                    'ward:04795', '{"circumstances":"hồ sơ giấy cũ"}', 'x', @Now, '2031-01-01', 10, 1, @Now, @IdNumber)
                """, new { Id = Guid.NewGuid().ToString("D"), Code = code, IdNumber = id, Now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        }
        var citizen = api.As("citizen", idNumber: id);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await citizen.GetAsync($"/api/v1/dossiers/{code}")).StatusCode);   // readable before, as it was

        var (dossiers, _) = await PersonalDataRekey.RunAsync(api.Services.GetRequiredService<Db>(), api.Services.GetRequiredService<PersonalData>(), CancellationToken.None);
        Assert.True(dossiers >= 1);
        Assert.StartsWith("pd1.dev-1.", await api.ScalarAsync<string>("SELECT applicant_id_number FROM dossier WHERE code = @Code", new { Code = code }), StringComparison.Ordinal);
        Assert.StartsWith("pd1.dev-1.", await api.ScalarAsync<string>("SELECT form_data FROM dossier WHERE code = @Code", new { Code = code }), StringComparison.Ordinal);
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier WHERE code = @Code AND owner_id_number IS NOT NULL", new { Code = code }));
        var mine = await citizen.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me/dossiers");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == code);
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier WHERE applicant_id_number NOT LIKE 'pd1.dev-1.%'"));
        Assert.Equal((0, 0), await PersonalDataRekey.RunAsync(api.Services.GetRequiredService<Db>(), api.Services.GetRequiredService<PersonalData>(), CancellationToken.None));   // idempotent
    }
}
