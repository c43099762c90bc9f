using System.Globalization;
using System.Text.Json;

namespace OneStopWindow.Domain.Applicants;

/// <summary>
/// The person a benefit is for. The applicant files (themselves, or as guardian or representative); when the form's
/// <c>beneficiary</c> names someone else, every age rule (groups, the pension, the priority order) uses that person.
/// </summary>
public static class Beneficiary
{
    /// <summary>From this age a beneficiary who is not the applicant also sees the dossier (Civil Code 2015 Art. 20: adulthood at 18).</summary>
    public const int AdultAge = 18;

    /// <summary>Age in whole years on <paramref name="day"/>.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return day < birthDate.AddYears(age) ? age - 1 : age;
    }

    /// <summary>The form names a beneficiary other than the applicant.</summary>
    public static bool IsOther(JsonElement form) =>
        form.ValueKind == JsonValueKind.Object && form.TryGetProperty("beneficiary", out var b) && b.ValueKind == JsonValueKind.Object;

    /// <summary>Another person, with an identity number, 18 or over on <paramref name="day"/>: they also see the dossier.</summary>
    public static bool IsAdultOther(JsonElement form, DateOnly applicantBirthDate, DateOnly day) =>
        IdNumber(form) is not null && AgeOn(BirthDate(form, applicantBirthDate), day) >= AdultAge;

    /// <summary>The beneficiary's date of birth: the form's <c>beneficiary.dateOfBirth</c>, else the applicant's.</summary>
    public static DateOnly BirthDate(JsonElement form, DateOnly applicantBirthDate) =>
        form.ValueKind == JsonValueKind.Object && form.TryGetProperty("beneficiary", out var b) && b.ValueKind == JsonValueKind.Object
        && b.TryGetProperty("dateOfBirth", out var d) && d.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
            ? born : applicantBirthDate;

    /// <summary>The beneficiary's identity number when the form names someone else who has one; null: the applicant's.</summary>
    public static string? IdNumber(JsonElement form) =>
        form.ValueKind == JsonValueKind.Object && form.TryGetProperty("beneficiary", out var b) && b.ValueKind == JsonValueKind.Object
        && b.TryGetProperty("idNumber", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
