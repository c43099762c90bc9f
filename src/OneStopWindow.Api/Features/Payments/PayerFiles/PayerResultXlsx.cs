using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>
/// The rows of an XLSX result file, read with <see cref="OpenXmlReader"/> (SAX): the sheet is never loaded as a tree, so
/// memory stays flat however many rows it has. The sheet named "lines" is read, else the first sheet. Cells are taken as
/// stored — a formula's cached value, never the formula — from inline strings, shared strings, numbers, booleans and
/// dates. Before the package is opened, the sizes the zip declares are checked: the zip reader never unpacks more than
/// an entry declares, so a small file that would unpack to gigabytes is refused without unpacking it.
/// </summary>
internal static class PayerResultXlsx
{
    private const int MaxEntries = 1000;

    public static IEnumerable<RawRow> Rows(Stream file, PayerFileOptions limits)
    {
        CheckPackage(file, limits);
        using var document = SpreadsheetDocument.Open(file, isEditable: false,
            new OpenSettings { AutoSave = false, MaxCharactersInPart = limits.MaxUnpackedBytes });
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("No workbook part.");
        var sheet = Sheet(workbook);
        var strings = SharedStrings(workbook, limits);
        foreach (var row in SheetRows(sheet, strings)) yield return row;
    }

    private static void CheckPackage(Stream file, PayerFileOptions limits)
    {
        var start = file.Position;
        using (var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true))
        {
            if (zip.Entries.Count > MaxEntries) throw Unpacked(limits);
            var total = 0L;
            foreach (var entry in zip.Entries)
                if ((total += entry.Length) > limits.MaxUnpackedBytes) throw Unpacked(limits);
        }
        file.Position = start;
    }

    private static PayerFileException Unpacked(PayerFileOptions limits) =>
        new("unpacked-too-large", $"Tệp XLSX giải nén ra quá {limits.MaxUnpackedBytes / (1024 * 1024)} MB (hoặc quá nhiều phần): không đọc tệp này.");

    /// <summary>The sheet's part, found from the workbook read as a stream too (a workbook part may be large as well).</summary>
    private static WorksheetPart Sheet(WorkbookPart workbook)
    {
        string? first = null, lines = null;
        using (var reader = OpenXmlReader.Create(workbook))
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Sheet) || !reader.IsStartElement) continue;
                var name = Attribute(reader, "name");
                var id = reader.Attributes.FirstOrDefault(a => a.LocalName == "id" && a.NamespaceUri.EndsWith("/relationships", StringComparison.Ordinal)).Value;
                if (id is null) continue;
                first ??= id;
                if (string.Equals(name, PayerXlsxExport.LinesSheet, StringComparison.OrdinalIgnoreCase)) { lines = id; break; }
            }
        var chosen = lines ?? first ?? throw new PayerFileException("missing-columns", "Tệp XLSX không có trang tính nào.");
        return workbook.GetPartById(chosen) as WorksheetPart ?? throw new InvalidDataException("The sheet is not a worksheet.");
    }

    /// <summary>
    /// Excel writes text as shared strings when it re-saves a file: the table is held (it is what the rows refer to), up
    /// to about 160 characters per allowed row.
    /// </summary>
    private static List<string> SharedStrings(WorkbookPart workbook, PayerFileOptions limits)
    {
        var strings = new List<string>();
        if (workbook.SharedStringTablePart is not { } part) return strings;
        var budget = limits.MaxRows * 160L;
        var text = new StringBuilder();
        var inItem = false;
        var phonetic = 0;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            var type = reader.ElementType;
            if (type == typeof(SharedStringItem))
            {
                if (reader.IsStartElement) { inItem = true; text.Clear(); }
                else if (reader.IsEndElement && inItem)
                {
                    if ((budget -= text.Length + 16) < 0)
                        throw new PayerFileException("unpacked-too-large", "Bảng chuỗi của tệp XLSX quá lớn so với số dòng cho phép: không đọc tệp này.");
                    strings.Add(text.ToString());
                    inItem = false;
                }
            }
            else if (type == typeof(PhoneticRun)) phonetic += reader.IsStartElement ? 1 : reader.IsEndElement ? -1 : 0;
            else if (type == typeof(Text) && reader.IsStartElement && inItem && phonetic == 0) Append(text, reader.GetText());
        }
        return strings;
    }

    private static IEnumerable<RawRow> SheetRows(WorksheetPart sheet, List<string> strings)
    {
        using var reader = OpenXmlReader.Create(sheet);
        var cells = new List<RawCell>();
        int rowNumber = 0, column = -1;
        var inRow = false;
        // The cell being read: its column, type and text. Flushed at its end, at the next cell or at the row's end,
        // whichever the reader reports (an empty element may report no end).
        var cellOpen = false;
        int cellColumn = 0;
        string? cellType = null;
        var value = new StringBuilder();
        var phonetic = 0;
        var inInline = false;

        void Flush()
        {
            if (!cellOpen) return;
            cellOpen = false;
            if (cellColumn >= PayerResultReader.MaxColumns) return;
            var (text, isNumber) = cellType switch
            {
                "s" => (int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count
                    ? strings[i] : throw new InvalidDataException("A shared string index is out of range."), false),
                "b" => (value.ToString() == "1" ? "TRUE" : "FALSE", false),
                null or "n" => (value.ToString(), value.Length > 0),
                _ => (value.ToString(), false),   // inlineStr, str (a formula's text), e (an error such as #N/A), d (ISO date)
            };
            while (cells.Count < cellColumn) cells.Add(new("", false));
            if (cells.Count == cellColumn) cells.Add(new(text, isNumber));
            else cells[cellColumn] = new(text, isNumber);
        }

        while (reader.Read())
        {
            var type = reader.ElementType;
            if (type == typeof(Row))
            {
                if (reader.IsStartElement)
                {
                    if (inRow) { Flush(); yield return new(rowNumber, [.. cells]); }
                    inRow = true;
                    cells.Clear();
                    column = -1;
                    rowNumber = int.TryParse(Attribute(reader, "r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : rowNumber + 1;
                }
                else if (reader.IsEndElement && inRow)
                {
                    Flush();
                    inRow = false;
                    yield return new(rowNumber, [.. cells]);
                }
            }
            else if (type == typeof(Cell) && inRow)
            {
                if (reader.IsStartElement)
                {
                    Flush();
                    cellOpen = true;
                    cellColumn = Attribute(reader, "r") is { } reference ? ColumnOf(reference) : column + 1;
                    column = cellColumn;
                    cellType = Attribute(reader, "t");
                    value.Clear();
                    phonetic = 0;
                    inInline = false;
                }
                else if (reader.IsEndElement) Flush();
            }
            else if (!cellOpen) continue;
            else if (type == typeof(CellValue) && reader.IsStartElement && cellType != "inlineStr") Append(value, reader.GetText());
            else if (type == typeof(InlineString)) inInline = reader.IsStartElement;
            else if (type == typeof(PhoneticRun)) phonetic += reader.IsStartElement ? 1 : reader.IsEndElement ? -1 : 0;
            else if (type == typeof(Text) && reader.IsStartElement && inInline && phonetic == 0) Append(value, reader.GetText());
        }
        if (inRow) { Flush(); yield return new(rowNumber, [.. cells]); }
    }

    private static void Append(StringBuilder text, string part)
    {
        if (text.Length + part.Length > PayerResultReader.MaxCellCharacters)
            throw new PayerFileException("cell-too-long", $"Có ô dài hơn {PayerResultReader.MaxCellCharacters} ký tự.");
        text.Append(part);
    }

    private static string? Attribute(OpenXmlReader reader, string localName)
    {
        foreach (var a in reader.Attributes)
            if (a.LocalName == localName && string.IsNullOrEmpty(a.NamespaceUri)) return a.Value;
        return null;
    }

    /// <summary>"C12" → 2 (zero-based); letters beyond the sheet's last column count as past <see cref="PayerResultReader.MaxColumns"/>.</summary>
    private static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            column = column * 26 + (c - 'A' + 1);
            if (column > 16384) return int.MaxValue;
        }
        return column == 0 ? throw new InvalidDataException("A cell reference has no column.") : column - 1;
    }
}
