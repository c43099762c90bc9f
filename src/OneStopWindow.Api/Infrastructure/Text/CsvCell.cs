using System.Buffers;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using CsvHelper.TypeConversion;

namespace OneStopWindow.Api.Infrastructure.Text;

/// <summary>
/// Every CSV export writes through <see cref="Writer"/>. A text cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// tab or CR is run as a formula by Excel, LibreOffice and Google Sheets (CSV injection): it is prefixed with a single
/// quote (OWASP, "CSV Injection") and quoted where CSV requires it.
/// </summary>
public static class CsvCell
{
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    public static string Text(string value) => value.Length > 0 && FormulaStarts.Contains(value[0]) ? "'" + value : value;

    /// <summary>
    /// A writer that escapes text cells only. Numbers the code writes as numbers are left alone, so a negative figure
    /// stays a figure in the spreadsheet; CsvHelper's own injection option would prefix <c>-5</c> too.
    /// </summary>
    public static CsvWriter Writer(TextWriter writer)
    {
        var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.None });
        csv.Context.TypeConverterCache.AddConverter<string>(new TextConverter());
        return csv;
    }

    private sealed class TextConverter : StringConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
            value is string text ? Text(text) : base.ConvertToString(value, row, memberMapData);
    }
}
