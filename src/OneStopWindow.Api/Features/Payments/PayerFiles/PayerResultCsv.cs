using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>
/// The rows of a CSV result file. The delimiter is found from the file (',' as exported; ';' when Excel in a Vietnamese
/// locale re-saves it; tab for "Unicode text"). Encoding: a byte order mark wins; without one, UTF-8 if the whole file is
/// valid UTF-8, else Windows-1258 (Excel's plain "CSV" on a Vietnamese Windows). Rows are numbered as a spreadsheet
/// shows them: blank lines are kept (and skipped later), a quoted cell over several lines is one row.
/// </summary>
internal static class PayerResultCsv
{
    public static IEnumerable<RawRow> Rows(Stream file)
    {
        var encoding = Encoding(file);
        using var reader = new StreamReader(file, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            IgnoreBlankLines = false,
            BadDataFound = null,
            MaxFieldSize = PayerResultReader.MaxCellCharacters,
        });
        var number = 0;
        while (parser.Read())
        {
            number++;
            var record = parser.Record ?? [];
            var cells = new RawCell[Math.Min(record.Length, PayerResultReader.MaxColumns)];
            for (var i = 0; i < cells.Length; i++) cells[i] = new(record[i], false);
            yield return new(number, cells);
        }
    }

    /// <summary>Text, not a binary file that happens not to be a zip: no NUL byte in the first 8 KB unless it is UTF-16.</summary>
    public static bool LooksLikeText(Stream file)
    {
        var start = file.Position;
        var head = new byte[8192];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = start;
        if (n >= 2 && (head[0], head[1]) is (0xFF, 0xFE) or (0xFE, 0xFF)) return true;
        return Array.IndexOf(head, (byte)0, 0, n) < 0;
    }

    private static Encoding Encoding(Stream file)
    {
        var start = file.Position;
        try
        {
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            var decoder = strict.GetDecoder();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = file.Read(chunk)) > 0) decoder.GetCharCount(chunk, 0, n, flush: false);
            decoder.GetCharCount([], 0, 0, flush: true);
            return strict;
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1258) ?? throw new InvalidOperationException("Windows-1258 is not available.");
        }
        finally
        {
            file.Position = start;
        }
    }
}
