namespace OneStopWindow.Domain.Applicants;

/// <summary>
/// Vietnamese phone numbers, stored as E.164 (+84…): mobiles are 10 digits nationally (0 + 9) with prefixes
/// 03, 05, 07, 08, 09 since the 2018 conversion of 11-digit numbers; landlines are 11 digits with 2xx area
/// codes since 2017 (DOMAIN.md §6).
/// </summary>
public static class PhoneNumber
{
    public static bool TryNormalize(string? input, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32) return false;
        var compact = new string(input.Where(c => c is not (' ' or '.' or '-' or '(' or ')')).ToArray());
        var international = compact.StartsWith('+');
        var digits = international ? compact[1..] : compact;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return false;

        string national;
        if (international || (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length is 11 or 12))
        {
            if (!digits.StartsWith("84", StringComparison.Ordinal)) return false;
            national = "0" + digits[2..];
        }
        else if (digits.StartsWith('0')) national = digits;
        else return false;

        var mobile = national.Length == 10 && national[1] is '3' or '5' or '7' or '8' or '9';
        var landline = national.Length == 11 && national[1] == '2';
        if (!mobile && !landline) return false;
        e164 = "+84" + national[1..];
        return true;
    }

    /// <summary>Only the last 3 digits stay visible.</summary>
    public static string Mask(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        return e164.Length <= 3 ? new string('*', e164.Length) : new string('*', e164.Length - 3) + e164[^3..];
    }
}
