namespace OneStopWindow.Domain.Applicants;

/// <summary>
/// The 12-digit personal identification number (số định danh cá nhân, printed on the Căn cước card):
/// 3 digits for where the birth was registered, 1 digit for century and sex, 2 digits of the birth
/// year, 6 random digits (Decree 137/2015/NĐ-CP Art. 13). It never changes, not even by the 2025 merger,
/// so it says nothing about where a person lives now.
/// </summary>
public static class PersonalIdNumber
{
    public static string? Validate(string? value, DateOnly? dateOfBirth)
    {
        if (string.IsNullOrEmpty(value)) return "Vui lòng nhập số định danh cá nhân (12 chữ số trên thẻ căn cước).";
        if (value.Length != 12 || !value.All(char.IsAsciiDigit)) return "Số định danh cá nhân phải gồm đúng 12 chữ số.";
        if (value.StartsWith("000", StringComparison.Ordinal)) return "Ba chữ số đầu (mã nơi đăng ký khai sinh) không hợp lệ.";
        if (dateOfBirth is { } dob && BirthYear(value) != dob.Year)
            return "Chữ số thế kỷ/giới tính và năm sinh trong số định danh không khớp với ngày sinh.";
        return null;
    }

    /// <summary>Only the last 4 digits stay visible.</summary>
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 4 ? new string('*', value.Length) : new string('*', value.Length - 4) + value[^4..];
    }

    // Century/sex digit: 0/1 male/female born 1900–1999, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 2300s.
    private static int BirthYear(string value) => 1900 + (value[3] - '0') / 2 * 100 + (value[4] - '0') * 10 + (value[5] - '0');
}
