using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Features.Dossiers;

[Collection(ApiHost.Name)]
public sealed class SubmitDossierTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private Task<long> DossierCountAsync() => api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier");

    [Fact]
    public async Task A_valid_submission_answers_201_with_a_receipt()
    {
        var receipt = await ADossier.Valid().SubmitAsync(client);

        Assert.True(DossierCode.IsWellFormed(receipt.Code), receipt.Code);
        Assert.StartsWith("25-", receipt.Code, StringComparison.Ordinal);
        Assert.Equal("Submitted", receipt.Json.GetProperty("status").GetString());
        Assert.Equal(10, receipt.Json.GetProperty("processingDays").GetInt32());
        Assert.True(receipt.Secret.Length >= 20);
        var receivedAt = receipt.Json.GetProperty("receivedAt").GetDateTimeOffset();
        var appointment = DateOnly.Parse(receipt.Json.GetProperty("appointmentDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(appointment > DateOnly.FromDateTime(receivedAt.UtcDateTime).AddDays(10), "10 working days span more than 10 calendar days");
        Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code = @Code AND s.kind = 'Intake'", new { receipt.Code }));
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier WHERE code = @Code AND tracking_secret_hash = @Secret", new { receipt.Code, receipt.Secret }));
    }

    [Fact]
    public async Task Intake_job_moves_the_dossier_into_its_wards_queue()
    {
        var receipt = await ADossier.Valid().LivingIn("04795").SubmitAsync(client);

        var status = await receipt.AfterIntakeAsync(client);

        Assert.Equal("Received", status.GetProperty("status").GetString());
        Assert.Equal("04795", status.GetProperty("handlingWardCode").GetString());
        Assert.Equal("Phường Hòa Bình", status.GetProperty("handlingWardName").GetString());
        // Registry checks and the receipt's issue land beside the workflow at any moment; the workflow's own entries are these two.
        var events = (await receipt.TimelineAsync(client)).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() is not "RegistryChecked" and not "PaperIssued").ToList();
        Assert.Equal(["Submitted", "RoutedToWard"], events.Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_pre2025_commune_is_routed_through_the_succession_mapping()
    {
        // Phường Thái Bình (04789, old Hòa Bình city) became part of Phường Thống Nhất (04828).
        var receipt = await ADossier.Valid().LivingIn("04789", "pre2025").SubmitAsync(client);
        var status = await receipt.AfterIntakeAsync(client);
        Assert.Equal("04828", status.GetProperty("handlingWardCode").GetString());

        // 04795 named Phường Thịnh Lang before the reform; it went into Phường Hòa Bình, which kept the code.
        var reused = await ADossier.Valid().LivingIn("04795", "pre2025").SubmitAsync(client);
        Assert.Equal("04795", (await reused.AfterIntakeAsync(client)).GetProperty("handlingWardCode").GetString());
    }

    [Theory]
    [InlineData("04891")]   // Xã Vầy Nưa, split between Tiền Phong and Thống Nhất
    [InlineData("99999")]   // no such commune before 2025
    public async Task A_split_or_unknown_old_commune_goes_to_provincial_reverification(string oldCode)
    {
        var receipt = await ADossier.Valid().LivingIn(oldCode, "pre2025").SubmitAsync(client);
        var status = await receipt.AfterIntakeAsync(client);

        Assert.Equal("AwaitingReverification", status.GetProperty("status").GetString());
        Assert.Equal(JsonValueKindNull, status.GetProperty("handlingWardCode").ValueKind);
        var routing = (await receipt.TimelineAsync(api.As("provincial-officer"))).GetProperty("events").EnumerateArray()
            .Last(e => e.GetProperty("kind").GetString() is not "RegistryChecked" and not "PaperIssued");
        Assert.Equal("SentToReverification", routing.GetProperty("kind").GetString());
        Assert.Contains(oldCode, routing.GetProperty("note").GetString()!, StringComparison.Ordinal);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_second_open_dossier_of_the_same_person_and_procedure_is_flagged()
    {
        var person = ADossier.UniqueIdNumber();
        var first = await ADossier.Valid().ForPerson(person).SubmitAsync(client);
        var second = await ADossier.Valid().ForPerson(person).SubmitAsync(client);

        await first.AfterIntakeAsync(client);
        await second.AfterIntakeAsync(client);
        using var officer = api.As("ward-officer", "04795");
        var status = await (await officer.GetAsync($"/api/v1/dossiers/{second.Code}")).ReadJsonAsync();

        Assert.Equal(first.Code, status.GetProperty("possibleDuplicateOf").GetString());
    }

    [Fact]
    public async Task Tracking_shows_masked_personal_data()
    {
        var receipt = await ADossier.Valid().ForPerson("025150998877").SubmitAsync(client);
        var status = await receipt.StatusAsync(client);

        var applicant = status.GetProperty("applicant");
        Assert.Equal("********8877", applicant.GetProperty("idNumber").GetString());
        Assert.Equal("N. T. Lan", applicant.GetProperty("fullName").GetString());
        Assert.DoesNotContain("912345", applicant.GetProperty("phone").GetString()!, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("formFields").ValueKind);
    }

    [Fact]
    public async Task A_wrong_or_missing_secret_reveals_nothing()
    {
        var receipt = await ADossier.Valid().SubmitAsync(client);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{receipt.Code}");
        wrong.Headers.Add("X-Tracking-Secret", "AAAAA-BBBBB-CCCCC-DDDDD");
        using var wrongResponse = await client.SendAsync(wrong);
        using var missing = await client.GetAsync($"/api/v1/dossiers/{receipt.Code}/timeline");
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/api/v1/dossiers/25-991231-9999");
        unknown.Headers.Add("X-Tracking-Secret", receipt.Secret);
        using var unknownResponse = await client.SendAsync(unknown);

        Assert.Equal(HttpStatusCode.NotFound, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownResponse.StatusCode);
        var wrongBody = await wrongResponse.ReadJsonAsync();
        Assert.Equal((await unknownResponse.ReadJsonAsync()).GetProperty("title").GetString(), wrongBody.GetProperty("title").GetString());
        Assert.DoesNotContain("Lan", wrongBody.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_is_accepted_as_typed_from_paper()
    {
        var receipt = await ADossier.Valid().SubmitAsync(client);
        var typed = receipt with { Secret = receipt.Secret.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant() };
        Assert.Equal(receipt.Code, (await typed.StatusAsync(client)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_every_bad_field_and_stores_nothing()
    {
        var before = await DossierCountAsync();
        var body = ADossier.Valid()
            .With("applicant.idNumber", "12345")
            .With("applicant.phone", "12")
            .With("applicant.fullName", "")
            .With("applicant.email", "not-an-email")
            .With("residence.unitCode", "00004")        // Phường Ba Đình, Hà Nội: not in Phú Thọ
            .With("formFields.beneficiaryGroup", "martian")
            .Body;

        using var response = await client.PostAsJsonAsync("/api/v1/dossiers", body);
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "applicant.idNumber", "applicant.phone", "applicant.fullName", "applicant.email" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Equal(before, await DossierCountAsync());
    }

    [Fact]
    public async Task Form_fields_are_checked_against_the_procedure_schema()
    {
        var before = await DossierCountAsync();
        using var response = await client.PostAsJsonAsync("/api/v1/dossiers", ADossier.Valid()
            .With("formFields.beneficiaryGroup", "martian").With("formFields.unexpected", "x").With("residence.unitCode", "00004").Body);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("formFields.beneficiaryGroup", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("residence.unitCode", out _), errors.ToString());
        Assert.Equal(before, await DossierCountAsync());
    }

    [Fact]
    public async Task An_id_number_that_contradicts_the_birth_date_is_refused()
    {
        using var response = await client.PostAsJsonAsync("/api/v1/dossiers",
            ADossier.Valid().ForPerson("025250001234").Body);   // century digit 2 = born 2000s, but dateOfBirth is 1950
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("applicant.idNumber", out _));
    }

    [Theory]
    [InlineData("{", "body")]
    [InlineData("{\"applicant\": {\"dateOfBirth\": \"15/03/1950\"}}", "applicant.dateOfBirth")]
    [InlineData("{\"procedureCode\": 42}", "procedureCode")]
    [InlineData("", "body")]
    public async Task Unreadable_json_answers_400_naming_the_field(string raw, string field)
    {
        var before = await DossierCountAsync();
        using var content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/dossiers", content);
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await DossierCountAsync());
    }

    [Fact]
    public async Task A_non_json_body_answers_415()
    {
        using var content = new StringContent("hello", System.Text.Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync("/api/v1/dossiers", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task The_appointment_is_counted_in_working_days_on_the_stored_calendar()
    {
        var receipt = await ADossier.Valid().SubmitAsync(client);
        var calendar = await (await client.GetAsync($"/api/v1/calendar/{DateTime.UtcNow.Year}")).ReadJsonAsync();
        var next = await (await client.GetAsync($"/api/v1/calendar/{DateTime.UtcNow.Year + 1}")).ReadJsonAsync();
        var entries = calendar.GetProperty("entries").EnumerateArray().Concat(next.GetProperty("entries").EnumerateArray())
            .Select(e => new CalendarEntry(DateOnly.Parse(e.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                Enum.Parse<CalendarEntryKind>(e.GetProperty("kind").GetString()!), "", ""));

        var expected = Appointment.Due(receipt.Json.GetProperty("receivedAt").GetDateTimeOffset(), 10, new WorkingCalendar(entries), new TimeOnly(17, 0));

        Assert.Equal(expected.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), receipt.Json.GetProperty("appointmentDate").GetString());
    }
}
