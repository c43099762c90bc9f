using System.Globalization;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// The dossier code (mã hồ sơ) after Circular 01/2018/TT-VPCP Art. 19: receiving unit, receipt date
/// (yyMMdd, Vietnam time) and a per-unit-per-day sequence of at least 4 digits (more after 9,999).
/// Our unit part is the administrative code (2-digit province for the provincial portal, 5-digit ward)
/// until the province issues the national e-document unit codes.
/// </summary>
public static class DossierCode
{
    private const int MaxLength = 32;

    public static string Format(string unitCode, DateOnly receiptDate, long sequence)
    {
        ArgumentNullException.ThrowIfNull(unitCode);
        if (!IsUnitCode(unitCode)) throw new ArgumentException("A unit code is 2 or 5 digits.", nameof(unitCode));
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{unitCode}-{receiptDate:yyMMdd}-{sequence:0000}");
    }

    public static bool IsWellFormed(string? code)
    {
        if (code is null || code.Length > MaxLength) return false;
        var parts = code.Split('-');
        return parts.Length == 3
               && IsUnitCode(parts[0])
               && parts[1].Length == 6 && AllDigits(parts[1])
               && DateOnly.TryParseExact(parts[1], "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
               && parts[2].Length >= 4 && AllDigits(parts[2]) && parts[2].Any(c => c != '0');
    }

    private static bool IsUnitCode(string s) => s.Length is 2 or 5 && AllDigits(s);

    private static bool AllDigits(string s) => s.All(char.IsAsciiDigit);
}
