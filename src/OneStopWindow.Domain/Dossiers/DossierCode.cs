using System.Globalization;
using System.Text.RegularExpressions;

namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// The dossier code (mã hồ sơ), after Circular 01/2018/TT-VPCP Art. 19: receiving unit, receipt date
/// (yyMMdd, Vietnam time) and a per-unit-per-day sequence of at least 4 digits (more after 9,999).
/// Our unit part is the administrative code (2-digit province for the provincial portal, 5-digit ward)
/// until the province issues the national e-document unit codes.
/// </summary>
public static partial class DossierCode
{
    public static string Format(string unitCode, DateOnly receiptDate, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return string.Create(CultureInfo.InvariantCulture, $"{unitCode}-{receiptDate:yyMMdd}-{sequence:0000}");
    }

    public static bool IsWellFormed(string? code) => code is { Length: <= 32 } && Shape().IsMatch(code);

    [GeneratedRegex(@"^(\d{2}|\d{5})-\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-\d{4,12}$")]
    private static partial Regex Shape();
}
