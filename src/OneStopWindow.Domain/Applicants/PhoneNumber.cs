namespace OneStopWindow.Domain.Applicants;

/// <summary>
/// Vietnamese phone numbers: mobiles are 10 digits nationally (0 + 9) with prefixes 03, 05, 07, 08, 09
/// since the 2018 conversion; landlines 11 digits with area codes 2xx since 2017. Stored as E.164 (+84…).
/// </summary>
public static class PhoneNumber
{
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 24) return false;
        var plus = input.TrimStart().StartsWith('+');
        var digits = new string(input.Where(c => c is not (' ' or '.' or '-' or '(' or ')' or '+')).ToArray());
        if (!digits.All(char.IsAsciiDigit)) return false;
        string national;
        if (digits.StartsWith("84", StringComparison.Ordinal) && (plus || digits.Length is 11 or 12)) national = "0" + digits[2..];
        else if (!plus && digits.StartsWith('0')) national = digits;
        else return false;

        var mobile = national.Length == 10 && national[1] is '3' or '5' or '7' or '8' or '9';
        var landline = national.Length == 11 && national[1] == '2';
        if (!mobile && !landline) return false;
        e164 = "+84" + national[1..];
        return true;
    }

    /// <summary>Only the last 3 digits stay visible.</summary>
    public static string Mask(string e164) =>
        e164.Length <= 3 ? new string('*', e164.Length) : new string('*', e164.Length - 3) + e164[^3..];
}
