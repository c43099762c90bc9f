using System.Globalization;
using System.Text;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>
/// The list for the payer as CSV (RFC 4180, CRLF, UTF-8 with a byte order mark so Excel shows Vietnamese): one header
/// row of <see cref="PayerColumns.All"/>, one line per row, text cells formula-escaped by <see cref="CsvCell"/>. The
/// same lines give the same bytes.
/// </summary>
public static class PayerCsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<PayerLine> lines, CancellationToken ct)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        // The writer's own string conversion escapes only typed records; these fields are written one by one, so escaped here.
        await using var csv = CsvCell.Writer(text);
        foreach (var column in PayerColumns.All) csv.WriteField(column);
        await csv.NextRecordAsync();
        await foreach (var line in lines.WithCancellation(ct))
        {
            csv.WriteField(line.LineId.ToString("D"));
            csv.WriteField(CsvCell.Text(line.FullName));
            csv.WriteField(CsvCell.Text(line.IdNumber ?? ""));
            csv.WriteField(CsvCell.Text(line.Method));
            csv.WriteField(CsvCell.Text(line.Account ?? ""));
            csv.WriteField(line.AmountVnd.ToString(CultureInfo.InvariantCulture), shouldQuote: false);
            csv.WriteField(CsvCell.Text(line.PeriodFrom));
            csv.WriteField(CsvCell.Text(line.PeriodTo));
            csv.WriteField("");
            csv.WriteField("");
            csv.WriteField("");
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    public static Task WriteAsync(Stream output, IEnumerable<PayerLine> lines, CancellationToken ct) =>
        WriteAsync(output, lines.ToAsyncEnumerable(), ct);
}
