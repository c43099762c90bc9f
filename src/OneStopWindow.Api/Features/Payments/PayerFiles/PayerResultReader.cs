using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>A result file refused as a whole; <see cref="Exception.Message"/> is Vietnamese, for the staff member who uploaded it.</summary>
public sealed class PayerFileException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Stable: file-too-large, too-many-rows, unpacked-too-large, cell-too-long, xls-not-supported, not-a-table, unreadable, missing-columns.</summary>
    public string Code { get; } = code;
}

/// <summary>Something wrong with one row; <paramref name="Row"/> is the row number the spreadsheet shows (the header is row 1 in the export).</summary>
public sealed record PayerRowError(int Row, string Column, string Code, string Message);

/// <summary>
/// One row of the payer's result file as read. <see cref="AmountVnd"/> and <see cref="IdNumber"/> are what the file says,
/// for the caller to compare with its list (<see cref="PayerResultReader.Compare"/>). A row with errors is not to be applied.
/// </summary>
public sealed record PayerResultRow(int Row, Guid? LineId, PayerResult? Result, DateOnly? PaidOn, string? Note, long? AmountVnd,
    string? IdNumber, IReadOnlyList<PayerRowError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>A cell as the file holds it: text, or a number as invariant digits (XLSX numeric cells only).</summary>
internal readonly record struct RawCell(string Text, bool IsNumber);

internal readonly record struct RawRow(int Number, RawCell[] Cells);

/// <summary>
/// Reads the payer's result file back (api-specs/payment-files.md): the export's own CSV or XLSX, as written or as a
/// spreadsheet re-saved it. Columns are found by header name; rows stream one at a time, so memory does not grow with
/// the file (except one entry per line id, to find duplicates, and an XLSX's shared strings). A file that is too large
/// or unreadable throws <see cref="PayerFileException"/>, also midway through the enumeration; row problems come as
/// <see cref="PayerResultRow.Errors"/>.
/// </summary>
public static partial class PayerResultReader
{
    internal const int MaxColumns = 256;
    internal const int MaxCellCharacters = 4000;
    private const int HeaderSearchRows = 20;

    /// <summary>Checks the size and kind of <paramref name="file"/> at once; the rows are read as the result is enumerated.</summary>
    public static IEnumerable<PayerResultRow> Read(Stream file, PayerFileOptions limits)
    {
        var seekable = file.CanSeek ? file : Buffer(file, limits.MaxBytes);
        if (seekable.Length - seekable.Position > limits.MaxBytes) throw TooLarge(limits.MaxBytes);
        var start = seekable.Position;
        Span<byte> head = stackalloc byte[4];
        var read = seekable.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        seekable.Position = start;
        IEnumerable<RawRow> rows;
        if (read == 4 && head.SequenceEqual("PK\u0003\u0004"u8)) rows = PayerResultXlsx.Rows(seekable, limits);
        else if (read == 4 && head.SequenceEqual(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }))
            throw new PayerFileException("xls-not-supported", "Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu lại dạng .xlsx hoặc CSV UTF-8.");
        else if (PayerResultCsv.LooksLikeText(seekable)) rows = PayerResultCsv.Rows(seekable);
        else throw new PayerFileException("not-a-table", "Tệp không phải CSV hay XLSX.");
        return Interpret(Guard(rows), limits.MaxRows);
    }

    /// <summary>
    /// The comparison the caller makes with its list, in one place: the amount must be the exported one, and an identity
    /// number read back must be the exported one (leading zeros aside: a spreadsheet opening a CSV drops them).
    /// </summary>
    public static IReadOnlyList<PayerRowError> Compare(PayerResultRow row, PayerLine? exported)
    {
        if (row.LineId is null) return [];
        if (exported is null)
            return [new(row.Row, PayerColumns.LineId, "line-not-on-list", $"Mã dòng {row.LineId} không có trong danh sách chi trả này.")];
        var errors = new List<PayerRowError>();
        if (row.AmountVnd is { } amount && amount != exported.AmountVnd)
            errors.Add(new(row.Row, PayerColumns.AmountVnd, "amount-differs",
                $"Số tiền {Vnd(amount)} khác số tiền trong danh sách đã gửi ({Vnd(exported.AmountVnd)})."));
        if (row.IdNumber is { } id && exported.IdNumber is { } expected && id.TrimStart('0') != expected.Trim().TrimStart('0'))
            errors.Add(new(row.Row, PayerColumns.IdNumber, "id-number-differs", "Số định danh khác với danh sách đã gửi."));
        return errors;
    }

    private static string Vnd(long amount) => amount.ToString("#,##0", CultureInfo.GetCultureInfo("vi-VN")) + " đồng";

    private static IEnumerable<PayerResultRow> Interpret(IEnumerable<RawRow> rows, int maxRows)
    {
        Dictionary<string, int>? columns = null;
        var seen = new Dictionary<Guid, int>();
        var dataRows = 0;
        foreach (var row in rows)
        {
            if (columns is null)
            {
                columns = Header(row);
                if (columns is null && row.Number >= HeaderSearchRows) throw MissingColumns();
                continue;
            }
            if (++dataRows > maxRows)
                throw new PayerFileException("too-many-rows", $"Tệp có hơn {maxRows.ToString("#,##0", CultureInfo.GetCultureInfo("vi-VN"))} dòng.");
            if (row.Cells.All(c => string.IsNullOrWhiteSpace(c.Text))) continue;
            yield return Parse(row, columns, seen);
        }
        if (columns is null) throw MissingColumns();
    }

    /// <summary>The header row: the first row (of the first <see cref="HeaderSearchRows"/>) that names line_id; null for a row above it.</summary>
    private static Dictionary<string, int>? Header(RawRow row)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < row.Cells.Length; i++)
            map.TryAdd(HeaderName(row.Cells[i].Text), i);
        if (!map.ContainsKey(PayerColumns.LineId)) return null;
        return map.ContainsKey(PayerColumns.Result) ? map : throw MissingColumns();
    }

    private static string HeaderName(string text) =>
        Unescape(text).Trim().Trim('\uFEFF').Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private static PayerFileException MissingColumns() =>
        new("missing-columns", $"Không tìm thấy dòng tiêu đề có cột {PayerColumns.LineId} và {PayerColumns.Result}.");

    private static PayerResultRow Parse(RawRow row, Dictionary<string, int> columns, Dictionary<Guid, int> seen)
    {
        var errors = new List<PayerRowError>();
        void Error(string column, string code, string message) => errors.Add(new(row.Number, column, code, message));
        RawCell Cell(string column) => columns.TryGetValue(column, out var i) && i < row.Cells.Length ? row.Cells[i] : new("", false);
        string? Text(string column) => Cell(column).Text is var t && string.IsNullOrWhiteSpace(t) ? null : Unescape(t.Trim()).Trim().Normalize(NormalizationForm.FormC);

        Guid? lineId = null;
        if (Text(PayerColumns.LineId) is not { } idText) Error(PayerColumns.LineId, "line-id-missing", "Thiếu mã dòng (line_id).");
        else if (!Guid.TryParse(idText, out var id))
            Error(PayerColumns.LineId, "line-id-invalid", $"Mã dòng \"{Shorten(idText)}\" không đúng định dạng (cần đúng mã trong tệp đã gửi).");
        else if (seen.TryGetValue(id, out var first))
            Error(PayerColumns.LineId, "line-id-duplicate", $"Mã dòng {id} trùng với dòng {first}: mỗi dòng chỉ ghi một kết quả.");
        else
        {
            seen[id] = row.Number;
            lineId = id;
        }

        PayerResult? result = null;
        if (Text(PayerColumns.Result) is not { } resultText) Error(PayerColumns.Result, "result-missing", "Chưa ghi kết quả chi trả (result).");
        else if (PayerResults.TryParse(resultText, out var parsed)) result = parsed;
        else
            Error(PayerColumns.Result, "result-unknown", $"Kết quả \"{Shorten(resultText)}\" không hợp lệ: ghi paid (đã chi), failed (không chi được), "
                + "unclaimed (không nhận) hoặc wrong-account (sai tài khoản).");

        DateOnly? paidOn = null;
        if (Text(PayerColumns.PaidOn) is { } dateText)
        {
            if (Date(dateText, Cell(PayerColumns.PaidOn).IsNumber) is { } date) paidOn = date;
            else Error(PayerColumns.PaidOn, "paid-on-invalid", $"Ngày chi \"{Shorten(dateText)}\" không đúng định dạng (dd/MM/yyyy hoặc yyyy-MM-dd).");
        }

        long? amount = null;
        if (Text(PayerColumns.AmountVnd) is { } amountText)
        {
            if (Amount(amountText, Cell(PayerColumns.AmountVnd).IsNumber) is { } value) amount = value;
            else Error(PayerColumns.AmountVnd, "amount-invalid", $"Số tiền \"{Shorten(amountText)}\" không phải số đồng nguyên.");
        }

        return new(row.Number, lineId, result, paidOn, Text(PayerColumns.Note), amount, Text(PayerColumns.IdNumber), errors);
    }

    /// <summary>
    /// The export's escape undone: a quote put before a leading = + - @ tab or CR is dropped (LF too: XML reads a CR as
    /// LF, so an escaped CR comes back from an XLSX as one).
    /// </summary>
    internal static string Unescape(string text) =>
        text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? text[1..] : text;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFF"];

    /// <summary>Day first, as written in Vietnam; an XLSX date is a serial number of days (1900 date system).</summary>
    private static DateOnly? Date(string text, bool isNumber)
    {
        if (isNumber)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466
                ? DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)))
                : null;
        return DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? DateOnly.FromDateTime(date) : null;
    }

    /// <summary>Whole đồng: "1500000", "1.500.000" (vi-VN), "1,500,000", "1500000,00"; an XLSX number must be whole.</summary>
    private static long? Amount(string text, bool isNumber)
    {
        if (isNumber)
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == Math.Floor(number)
                   && Math.Abs(number) < 1e15 ? (long)number : null;
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var match = AmountPattern().Match(compact);
        if (!match.Success) return null;
        var digits = match.Groups["int"].Value.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    [GeneratedRegex(@"^(?<int>-?(\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+))([.,]0{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    private static PayerFileException TooLarge(long maxBytes) =>
        new("file-too-large", "Tệp lớn hơn giới hạn " + (maxBytes >= 1024 * 1024
            ? (maxBytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.GetCultureInfo("vi-VN")) + " MB."
            : (maxBytes / 1024).ToString(CultureInfo.InvariantCulture) + " KB."));

    private static MemoryStream Buffer(Stream file, long maxBytes)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = file.Read(chunk)) > 0)
        {
            if (copy.Length + n > maxBytes) throw TooLarge(maxBytes);
            copy.Write(chunk, 0, n);
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>The libraries' exceptions on a broken file become one clear refusal; ours pass through.</summary>
    private static IEnumerable<RawRow> Guard(IEnumerable<RawRow> rows)
    {
        using var e = rows.GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = e.MoveNext();
            }
            catch (MaxFieldSizeException x)
            {
                throw new PayerFileException("cell-too-long", $"Có ô dài hơn {MaxCellCharacters} ký tự.", x);
            }
            catch (Exception x) when (x is XmlException or InvalidDataException or IOException or FormatException or OpenXmlPackageException
                                          or CsvHelperException or DecoderFallbackException or InvalidOperationException or ArgumentException
                                          or NotSupportedException or KeyNotFoundException)
            {
                throw new PayerFileException("unreadable", "Không đọc được tệp: tệp hỏng hoặc không đúng định dạng CSV/XLSX.", x);
            }
            if (!more) yield break;
            yield return e.Current;
        }
    }
}
