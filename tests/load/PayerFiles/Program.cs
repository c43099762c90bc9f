using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using OneStopWindow.Api.Features.Payments.PayerFiles;

// One step per process, so each step's peak memory is its own (tests/load/payer-files.sh runs them under /usr/bin/time):
//   export csv|xlsx COUNT PATH    the list for the payer
//   results csv|xlsx COUNT PATH   a filled-in result file as a payer sends it back (every result value, dates, notes); the
//                                 XLSX as Excel saves one: text in the shared-string table, dates as serial numbers
//   read PATH [MAX_BYTES]         the result file read back; prints rows, valid rows, errors by code
var watch = Stopwatch.StartNew();
switch (args)
{
    case ["export", var format, var count, var path]:
        {
            var lines = Lines(int.Parse(count, CultureInfo.InvariantCulture));
            var header = new PayerListHeader(Guid.Parse("0199a1b2-0000-7000-8000-0000000000aa"), "25177", "Xã Thanh Ba", "2025-10", lines.Count,
                lines.Sum(l => l.AmountVnd), new DateTimeOffset(2025, 9, 18, 9, 30, 0, TimeSpan.FromHours(7)));
            watch.Restart();
            await using var file = File.Create(path);
            if (format == "csv") await PayerCsvExport.WriteAsync(file, lines, CancellationToken.None);
            else PayerXlsxExport.Write(file, header, lines);
            Report($"export {format} {lines.Count:N0} lines, {file.Length / 1e6:0.0} MB");
            break;
        }
    case ["results", "csv", var count, var path]:
        {
            var results = new[] { "paid", "đã chi", "failed", "không nhận", "wrong-account" };
            await using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
            await writer.WriteAsync("line_id,full_name,id_number,method,account,amount_vnd,period_from,period_to,result,paid_on,note\r\n");
            var i = 0;
            foreach (var l in Lines(int.Parse(count, CultureInfo.InvariantCulture)))
            {
                var result = results[i % results.Length];
                var paidOn = result is "paid" or "đã chi" ? $"{1 + i % 28:00}/10/2025" : "";
                await writer.WriteAsync($"{l.LineId},{l.FullName},{l.IdNumber},{l.Method},\"{l.Account}\",{l.AmountVnd},{l.PeriodFrom},{l.PeriodTo},{result},{paidOn},"
                    + $"\"ghi chú {i}, đã gọi\"\r\n");
                i++;
            }
            Report($"results csv {i:N0} lines");
            break;
        }
    case ["results", "xlsx", var count, var path]:
        {
            ExcelLikeResults(Lines(int.Parse(count, CultureInfo.InvariantCulture)), path);
            Report($"results xlsx {count} lines");
            break;
        }
    case ["read", var path, ..]:
        {
            var limits = new PayerFileOptions { MaxBytes = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : new PayerFileOptions().MaxBytes };
            int rows = 0, valid = 0;
            var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            await using var file = File.OpenRead(path);
            foreach (var row in PayerResultReader.Read(file, limits))
            {
                rows++;
                if (row.IsValid) valid++;
                foreach (var e in row.Errors) codes[e.Code] = codes.GetValueOrDefault(e.Code) + 1;
            }
            Report($"read {Path.GetFileName(path)}: {rows:N0} rows, {valid:N0} valid, errors [{string.Join(", ", codes.Select(c => $"{c.Key} {c.Value:N0}"))}]");
            break;
        }
    default:
        Console.Error.WriteLine("usage: export csv|xlsx COUNT PATH | results csv|xlsx COUNT PATH | read PATH [MAX_BYTES]");
        return 2;
}
return 0;

void Report(string what) => Console.WriteLine(
    $"{what}: {watch.Elapsed.TotalSeconds:0.00} s, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:0} MB at the last GC, " +
    $"allocated {GC.GetTotalAllocatedBytes() / 1e6:0} MB in all");

static void ExcelLikeResults(List<PayerLine> lines, string path)
{
    const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
    void Text(string name, string xml) { using var w = new StreamWriter(zip.CreateEntry(name).Open()); w.Write(xml); }
    Text("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
    Text("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + $"<Relationship Id=\"rId1\" Type=\"{rels}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
    Text("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rels}\"><sheets>"
        + "<sheet name=\"lines\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    Text("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + $"<Relationship Id=\"rId1\" Type=\"{rels}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        + $"<Relationship Id=\"rId2\" Type=\"{rels}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
    var strings = new Dictionary<string, int>(StringComparer.Ordinal);
    int S(string text) => strings.TryGetValue(text, out var i) ? i : strings[text] = strings.Count;
    var results = new[] { "paid", "Đã chi", "failed", "không nhận", "sai tài khoản" };
    using (var sheet = XmlWriter.Create(zip.CreateEntry("xl/worksheets/sheet1.xml").Open(), new XmlWriterSettings { CloseOutput = true }))
    {
        sheet.WriteStartElement("worksheet", main);
        sheet.WriteStartElement("sheetData", main);
        void Row(int r, IEnumerable<(string? Text, double? Number)> cells)
        {
            sheet.WriteStartElement("row", main);
            sheet.WriteAttributeString("r", r.ToString(CultureInfo.InvariantCulture));
            var c = 0;
            foreach (var (text, number) in cells)
            {
                c++;
                if (text is null && number is null) continue;
                sheet.WriteStartElement("c", main);
                sheet.WriteAttributeString("r", $"{(char)('A' + c - 1)}{r}");
                if (text is not null) sheet.WriteAttributeString("t", "s");
                sheet.WriteElementString("v", main, text is not null ? S(text).ToString(CultureInfo.InvariantCulture) : number!.Value.ToString(CultureInfo.InvariantCulture));
                sheet.WriteEndElement();
            }
            sheet.WriteEndElement();
        }
        Row(1, PayerColumns.All.Select(h => ((string?)h, (double?)null)));
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var result = results[i % results.Length];
            double? paidOn = i % 5 < 2 ? new DateTime(2025, 10, 1 + i % 28).ToOADate() : null;
            Row(i + 2, [(l.LineId.ToString(), null), (l.FullName, null), (l.IdNumber, null), (l.Method, null), (l.Account, null), (null, l.AmountVnd),
                (l.PeriodFrom, null), (l.PeriodTo, null), (result, null), (null, paidOn), ($"ghi chú {i}", null)]);
        }
        sheet.WriteEndElement();
        sheet.WriteEndElement();
    }
    using var shared = XmlWriter.Create(zip.CreateEntry("xl/sharedStrings.xml").Open(), new XmlWriterSettings { CloseOutput = true });
    shared.WriteStartElement("sst", main);
    foreach (var text in strings.OrderBy(s => s.Value).Select(s => s.Key))
    {
        shared.WriteStartElement("si", main);
        shared.WriteElementString("t", main, text);
        shared.WriteEndElement();
    }
    shared.WriteEndElement();
}

static List<PayerLine> Lines(int count)
{
    string[] family = ["Nguyễn", "Trần", "Hà", "Đinh", "Lò", "Bùi", "Phùng"], given = ["Thị Ánh", "Văn Thắng", "Thị Hồng Nhung", "Văn Páo", "Đức Mạnh"];
    var lines = new List<PayerLine>(count);
    for (var i = 0; i < count; i++)
    {
        var method = PayerMethods.All[i % 4];
        var account = method switch
        {
            PayerMethods.BankAccount => $"VBA {1_000_000_000 + i}",
            PayerMethods.EWallet => $"09{10_000_000 + i % 90_000_000}",
            PayerMethods.PostOfficeCash => $"Bưu điện xã {i % 148}",
            _ => $"Xóm {i % 500}, xã {i % 148}",
        };
        lines.Add(new(new Guid(i, 0, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 1), $"{family[i % family.Length]} {given[i / 7 % given.Length]}",
            (25_000_000_000L + i).ToString("D12", CultureInfo.InvariantCulture), method, account, 500_000 + i % 7 * 250_000,
            i % 10 == 0 ? "2025-08" : "2025-10", "2025-10"));
    }
    return lines;
}
