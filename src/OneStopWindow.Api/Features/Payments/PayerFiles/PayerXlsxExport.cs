using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>
/// The list for the payer as XLSX: sheet "lines" is the same table as the CSV (one header row, one line per row, text as
/// inline strings escaped like the CSV so a re-save as CSV stays safe, amounts as numbers, never a formula); sheet "list"
/// holds the list's facts and the result values. The parts are Open XML SDK elements written by <see cref="OpenXmlWriter"/>
/// straight into the zip, one after the other, so the sheet is never held in memory. The package is laid out here rather
/// than by the SDK's packaging, which cannot write a package forward-only and stamps every entry with the clock: here the
/// part names and ids are fixed and every date is the approval time, so the same list gives the same bytes.
/// </summary>
public static class PayerXlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string LinesSheet = "lines";
    public const string ListSheet = "list";

    private const uint BoldStyle = 1, AmountStyle = 2, TextStyle = 3;
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string Sml = "application/vnd.openxmlformats-officedocument.spreadsheetml";

    /// <summary>Builds the file in memory (about 45 bytes a line, compressed) and copies it to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, PayerListHeader header, IEnumerable<PayerLine> lines, CancellationToken ct)
    {
        using var file = new MemoryStream();
        Write(file, header, lines);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
    }

    /// <summary>Writes the file; the bytes depend on the list only (and on whether <paramref name="output"/> can seek).</summary>
    public static void Write(Stream output, PayerListHeader header, IEnumerable<PayerLine> lines)
    {
        var stamp = header.ApprovedAt.ToOffset(VietnamOffset);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Stream Entry(string name)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = stamp;
            return entry.Open();
        }
        void Xml(string name, string xml)
        {
            using var stream = Entry(name);
            stream.Write(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + xml));
        }
        void Part(string name, Action<OpenXmlWriter> write)
        {
            using var stream = Entry(name);
            using var writer = OpenXmlWriter.Create(stream, new UTF8Encoding(false));
            writer.WriteStartDocument(true);
            write(writer);
            writer.Close();
        }

        Xml("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + $"<Override PartName=\"/xl/workbook.xml\" ContentType=\"{Sml}.sheet.main+xml\"/>"
            + $"<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"{Sml}.worksheet+xml\"/>"
            + $"<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"{Sml}.worksheet+xml\"/>"
            + $"<Override PartName=\"/xl/styles.xml\" ContentType=\"{Sml}.styles+xml\"/>"
            + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
            + "</Types>");
        Xml("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + $"<Relationship Id=\"rId1\" Type=\"{Relationships}/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
            + "Target=\"docProps/core.xml\"/>"
            + "</Relationships>");
        Part("xl/workbook.xml", w => w.WriteElement(new Workbook(new Sheets(
            new Sheet { Name = LinesSheet, SheetId = 1, Id = "rId1" },
            new Sheet { Name = ListSheet, SheetId = 2, Id = "rId2" }))));
        Xml("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + $"<Relationship Id=\"rId1\" Type=\"{Relationships}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
            + $"<Relationship Id=\"rId2\" Type=\"{Relationships}/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
            + $"<Relationship Id=\"rId3\" Type=\"{Relationships}/styles\" Target=\"styles.xml\"/>"
            + "</Relationships>");
        Part("xl/styles.xml", w => w.WriteElement(Styles()));
        Part("xl/worksheets/sheet1.xml", w => WriteLines(w, lines));
        Part("xl/worksheets/sheet2.xml", w => WriteList(w, header));
        using (var core = Entry("docProps/core.xml")) WriteProperties(core, header);
    }

    private static void WriteLines(OpenXmlWriter writer, IEnumerable<PayerLine> lines)
    {
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
        { WorkbookViewId = 0 }));
        writer.WriteElement(new Columns(
            Column(1, 1, 38), Column(2, 2, 28), Column(3, 3, 16), Column(4, 4, 18), Column(5, 5, 32), Column(6, 6, 14),
            Column(7, 8, 12), Column(9, 11, 18, TextStyle)));
        writer.WriteStartElement(new SheetData());
        var row = 1;
        writer.WriteStartElement(new Row { RowIndex = (uint)row });
        for (var c = 0; c < PayerColumns.All.Count; c++) WriteText(writer, c, row, PayerColumns.All[c], BoldStyle);
        writer.WriteEndElement();
        foreach (var line in lines)
        {
            row++;
            writer.WriteStartElement(new Row { RowIndex = (uint)row });
            WriteText(writer, 0, row, line.LineId.ToString("D"));
            WriteText(writer, 1, row, line.FullName);
            WriteText(writer, 2, row, line.IdNumber);
            WriteText(writer, 3, row, line.Method);
            WriteText(writer, 4, row, line.Account);
            writer.WriteElement(new Cell(new CellValue(line.AmountVnd.ToString(CultureInfo.InvariantCulture)))
            { CellReference = Reference(5, row), StyleIndex = AmountStyle });
            WriteText(writer, 6, row, line.PeriodFrom);
            WriteText(writer, 7, row, line.PeriodTo);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteList(OpenXmlWriter writer, PayerListHeader header)
    {
        var approvedAt = header.ApprovedAt.ToOffset(VietnamOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var rows = new (string Key, string Value)[]
        {
            ("list_id", header.ListId.ToString("D")),
            ("ward_code", header.WardCode),
            ("ward_name", header.WardName),
            ("month", header.Month),
            ("line_count", header.LineCount.ToString(CultureInfo.InvariantCulture)),
            ("total_vnd", header.TotalVnd.ToString(CultureInfo.InvariantCulture)),
            ("approved_at", approvedAt),
            ("", ""),
            ("result", "Ghi vào cột result của trang \"lines\": paid (đã chi), failed (không chi được), unclaimed (không nhận), "
                       + "wrong-account (sai tài khoản); cột paid_on: ngày chi (dd/MM/yyyy); cột note: ghi chú."),
            ("", "Không sửa cột line_id và amount_vnd; không thêm, xoá hay gộp dòng."),
        };
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new Columns(Column(1, 1, 14), Column(2, 2, 60)));
        writer.WriteStartElement(new SheetData());
        for (var i = 0; i < rows.Length; i++)
        {
            writer.WriteStartElement(new Row { RowIndex = (uint)(i + 1) });
            if (rows[i].Key.Length > 0) WriteText(writer, 0, i + 1, rows[i].Key, BoldStyle);
            if (rows[i].Key is "line_count" or "total_vnd")
                writer.WriteElement(new Cell(new CellValue(rows[i].Value)) { CellReference = Reference(1, i + 1), StyleIndex = AmountStyle });
            else if (rows[i].Value.Length > 0) WriteText(writer, 1, i + 1, rows[i].Value);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>An inline string (never a shared-string index, never a formula), escaped like a CSV cell.</summary>
    private static void WriteText(OpenXmlWriter writer, int column, int row, string? value, uint style = 0)
    {
        if (string.IsNullOrEmpty(value)) return;
        var text = new Text(XmlSafe(CsvCell.Text(value)));
        if (char.IsWhiteSpace(text.Text[0]) || char.IsWhiteSpace(text.Text[^1])) text.Space = SpaceProcessingModeValues.Preserve;
        var cell = new Cell(new InlineString(text))
        {
            CellReference = Reference(column, row),
            DataType = CellValues.InlineString,
        };
        if (style != 0) cell.StyleIndex = style;
        writer.WriteElement(cell);
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters other than tab, CR, LF) are dropped.</summary>
    private static string XmlSafe(string value)
    {
        if (!value.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r' || c is '\uFFFE' or '\uFFFF')) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { sb.Append(c).Append(value[++i]); continue; }
            if (XmlConvert.IsXmlChar(c)) sb.Append(c);
        }
        return sb.ToString();
    }

    internal static string Reference(int column, int row)
    {
        var letters = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    private static Column Column(uint min, uint max, double width, uint style = 0)
    {
        var column = new Column { Min = min, Max = max, Width = width, CustomWidth = true };
        if (style != 0) column.Style = style;
        return column;
    }

    /// <summary>0 default, 1 bold (headers), 2 amount "#,##0" (built-in 3), 3 text "@" (built-in 49: what the payer types stays text).</summary>
    private static Stylesheet Styles() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }))
        { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 3, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true })
        { Count = 4 });

    private static void WriteProperties(Stream stream, PayerListHeader header)
    {
        var at = header.ApprovedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        const string cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        const string dc = "http://purl.org/dc/elements/1.1/", dcterms = "http://purl.org/dc/terms/";
        const string xsi = "http://www.w3.org/2001/XMLSchema-instance";
        xml.WriteStartElement("cp", "coreProperties", cp);
        xml.WriteAttributeString("xmlns", "dc", null, dc);
        xml.WriteAttributeString("xmlns", "dcterms", null, dcterms);
        xml.WriteAttributeString("xmlns", "xsi", null, xsi);
        xml.WriteElementString("title", dc, $"Danh sách chi trả {header.WardName} tháng {header.Month}");
        xml.WriteElementString("creator", dc, "OneStopWindow");
        xml.WriteElementString("identifier", dc, header.ListId.ToString("D"));
        foreach (var name in new[] { "created", "modified" })
        {
            xml.WriteStartElement(name, dcterms);
            xml.WriteAttributeString("type", xsi, "dcterms:W3CDTF");
            xml.WriteString(at);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }
}
