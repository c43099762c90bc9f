using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Annotations;
using PdfSharp.Pdf.Signatures;
using QRCoder;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>
/// Lays a <see cref="PaperDocument"/> out as PDF with PDFsharp (A5 for the one-stop forms, A4 for the decision). The
/// output is a function of the document only: the document id is the paper's id, the creation and modification dates are
/// the event's time, the font is the shipped one — so two renderings are byte-identical and the SHA-256 on the timeline
/// can be recomputed. Long bodies continue on further pages; every page carries the footer and its number.
/// </summary>
public static partial class PaperRenderer
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    /// <param name="certificate">Signs the file (PAdES-B-B, <see cref="PadesSigner"/>); null renders it unsigned and byte-for-byte deterministic.</param>
    public static byte[] Render(PaperDocument paper, X509Certificate2? certificate = null)
    {
        PaperFonts.Register();
        using var document = new PdfDocument();
        document.Info.Title = paper.MetadataTitle;
        document.Info.Subject = paper.Footer;
        document.Info.Creator = "OneStopWindow";
        document.Info.Author = paper.Unit;
        var issued = paper.IssuedAt.UtcDateTime;
        document.Info.CreationDate = issued;
        document.Info.ModificationDate = issued;
        var id = paper.Id.ToString("N").ToUpperInvariant();
        document.Internals.FirstDocumentID = id;
        document.Internals.SecondDocumentID = id;
        document.Options.CompressContentStreams = true;

        var layout = new Layout(document, paper);
        layout.Header();
        foreach (var block in paper.Blocks) layout.Block(block);
        layout.Signatures();
        layout.Verification();
        layout.Footers();

        using var output = new MemoryStream();
        if (certificate is null)
        {
            document.Save(output, false);
            return Latin1.GetBytes(Deterministic(Latin1.GetString(output.ToArray()), paper.Id));
        }
        // An invisible signature (the printed "Ký số bởi" line beside the QR says who signed); the deterministic names are put
        // in before the bytes are hashed, so the signed file differs from the unsigned one only by the signature's objects.
        DigitalSignatureHandler.ForDocument(document, new PadesSigner(certificate, output, text => Deterministic(text, paper.Id)), new DigitalSignatureOptions
        {
            Rectangle = new XRect(0, 0, 0, 0),
            PageIndex = document.PageCount - 1,
            AppearanceHandler = new NoAppearance(),
            AppName = "OneStopWindow",
            Reason = paper.MetadataTitle,
            Location = paper.Place,
        });
        document.Save(output, false);
        return output.ToArray();
    }

    private static readonly System.Text.Encoding Latin1 = System.Text.Encoding.Latin1;

    private sealed class NoAppearance : IAnnotationAppearanceHandler
    {
        public void DrawAppearance(XGraphics gfx, XRect rect) { }
    }

    /// <summary>
    /// What PDFsharp 6.2.4 draws at random is replaced by values of the paper, each of the same length, so the
    /// cross-reference offsets stay valid and the bytes depend on the paper only: the six letters naming each embedded
    /// font subset ("QXZKTB+DejaVu#20Sans", one subset per face, so a tag per face stays distinct) and the XMP metadata's
    /// document and instance ids (uuids; the paper's id instead).
    /// </summary>
    private static string Deterministic(string text, Guid id)
    {
        text = SubsetTag().Replace(text, m => m.Groups[2].Value switch
        {
            var face when face.Contains("Bold", StringComparison.Ordinal) => "OSWBDA+",
            var face when face.Contains("Oblique", StringComparison.Ordinal) => "OSWITA+",
            _ => "OSWRGA+",
        } + m.Groups[2].Value);
        return XmpId().Replace(text, "${1}" + id.ToString("D"));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=/)([A-Z]{6})\+(DejaVu#20Sans[#0-9A-Za-z,]*)")]
    private static partial System.Text.RegularExpressions.Regex SubsetTag();

    [System.Text.RegularExpressions.GeneratedRegex(@"(<xmpMM:(?:DocumentID|InstanceID)>uuid:)[0-9a-f-]{36}")]
    private static partial System.Text.RegularExpressions.Regex XmpId();

    /// <summary>The cursor over the pages: a margin, a line width, the fonts of one page size.</summary>
    private sealed class Layout
    {
        private readonly PdfDocument document;
        private readonly PaperDocument paper;
        private readonly double margin, width, bottom, size;
        private readonly XFont regular, bold, italic, small, smallBold;
        private XGraphics gfx = null!;
        private double y;

        public Layout(PdfDocument document, PaperDocument paper)
        {
            this.document = document;
            this.paper = paper;
            size = paper.A4 ? 11.5 : 9;
            regular = Font(size, XFontStyleEx.Regular);
            bold = Font(size, XFontStyleEx.Bold);
            italic = Font(size, XFontStyleEx.Italic);
            small = Font(size - 1.5, XFontStyleEx.Regular);
            smallBold = Font(size - 1.5, XFontStyleEx.Bold);
            NewPage();
            margin = paper.A4 ? 60 : 34;
            width = Page.Width.Point - 2 * margin;
            bottom = Page.Height.Point - (paper.A4 ? 60 : 40);
            y = margin - 8;
        }

        private PdfPage Page => document.Pages[^1];

        private double Line => size * 1.45;

        private static XFont Font(double points, XFontStyleEx style) => new(PaperFonts.Family, points, style, Unicode);

        private void NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Size = paper.A4 ? PageSize.A4 : PageSize.A5;
            page.Orientation = PageOrientation.Portrait;
            gfx = XGraphics.FromPdfPage(page);
            y = paper.A4 ? 60 : 34;
        }

        private void Room(double needed)
        {
            if (y + needed <= bottom) return;
            NewPage();
        }

        /// <summary>Unit top left, motto top right, the number under the unit, place and date under the motto, the title.</summary>
        public void Header()
        {
            if (paper.Form is { } form)
                gfx.DrawString(form, Font(size - 2, XFontStyleEx.Italic), XBrushes.Black, new XRect(margin, y - 12, width, 10), XStringFormats.TopRight);
            var left = width * 0.42;
            var rightX = margin + left;
            var right = width - left;
            var top = y + 4;
            var unitAbove = Fit(paper.UnitAbove, paper.UnitAboveBold ? XFontStyleEx.Bold : XFontStyleEx.Regular, left, size - 0.5);
            var unit = Fit(paper.Unit, XFontStyleEx.Bold, left, size - 0.5);
            var motto = Fit("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", XFontStyleEx.Bold, right, size - 0.5);
            var freedom = Fit("Độc lập - Tự do - Hạnh phúc", XFontStyleEx.Bold, right, size);

            Centre(paper.UnitAbove, unitAbove, margin, left, top);
            var unitLines = Wrap(paper.Unit, unit, left);
            var ly = top + unitAbove.Height * 1.3;
            foreach (var l in unitLines) { Centre(l, unit, margin, left, ly); ly += unit.Height * 1.25; }
            Rule(margin + left / 2, ly + 1, left * 0.35);
            Centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto, rightX, right, top);
            var my = top + motto.Height * 1.3;
            Centre("Độc lập - Tự do - Hạnh phúc", freedom, rightX, right, my);
            var freedomWidth = gfx.MeasureString("Độc lập - Tự do - Hạnh phúc", freedom).Width;
            my += freedom.Height * 1.2;
            Rule(rightX + right / 2, my + 1, freedomWidth);
            var below = Math.Max(ly, my) + 6;
            if (paper.Number is { } number) Centre(number, regular, margin, left, below);
            Centre(DateLine(paper.Place, paper.IssuedAt), italic, rightX, right, below);
            y = below + Line * 2;

            var title = Font(paper.A4 ? 14 : 11, XFontStyleEx.Bold);
            foreach (var l in Wrap(paper.Title, title, width * 0.92)) { Centre(l, title, margin, width, y); y += title.Height * 1.3; }
            if (paper.Subtitle is { } sub)
                foreach (var l in Wrap(sub, bold, width * 0.9)) { Centre(l, bold, margin, width, y); y += Line; }
            y += Line * 0.6;
        }

        public void Block(PaperBlock block)
        {
            switch (block)
            {
                case PaperField f: Field(f); break;
                case PaperParagraph p: Paragraph(p); break;
                case PaperList list:
                    for (var i = 0; i < list.Items.Count; i++) Indented($"{i + 1}. ", list.Items[i]);
                    break;
                case PaperTable t: Table(t); break;
                case PaperSpace s: y += s.Points; break;
            }
        }

        private void Field(PaperField f)
        {
            var label = f.Label + ": ";
            var labelWidth = gfx.MeasureString(label, regular).Width;
            var valueFont = f.Strong ? bold : regular;
            // The value starts after the label and wraps under itself when the label is short; else under the label.
            var hang = labelWidth < width * 0.45 ? labelWidth : 0;
            var first = true;
            foreach (var l in Wrap(f.Value, valueFont, width - hang, first: width - labelWidth))
            {
                Room(Line);
                if (first) gfx.DrawString(label, regular, XBrushes.Black, margin, y + size);
                gfx.DrawString(l, valueFont, XBrushes.Black, margin + (first ? labelWidth : hang), y + size);
                first = false;
                y += Line;
            }
        }

        private void Paragraph(PaperParagraph p)
        {
            var font = p.Bold ? bold : p.Italic ? italic : regular;
            var lead = p.Lead is null ? 0 : gfx.MeasureString(p.Lead + " ", bold).Width;
            var first = true;
            foreach (var l in Wrap(p.Text, font, width, first: width - lead))
            {
                Room(Line);
                if (p.Centred) Centre(l, font, margin, width, y);
                else
                {
                    if (first && p.Lead is { } text) gfx.DrawString(text, bold, XBrushes.Black, margin, y + size);
                    gfx.DrawString(l, font, XBrushes.Black, margin + (first ? lead : 0), y + size);
                }
                first = false;
                y += Line;
            }
            y += size * 0.3;   // a little air between paragraphs
        }

        private void Indented(string marker, string text)
        {
            var indent = size * 1.6;
            var first = true;
            foreach (var l in Wrap(text, regular, width - indent))
            {
                Room(Line);
                if (first) gfx.DrawString(marker, regular, XBrushes.Black, margin + size * 0.4, y + size);
                gfx.DrawString(l, regular, XBrushes.Black, margin + indent, y + size);
                first = false;
                y += Line;
            }
        }

        private void Table(PaperTable t)
        {
            var widths = t.Widths.Select(w => w / t.Widths.Sum() * width).ToArray();
            var pad = 3.0;
            void Row(IReadOnlyList<string> cells, XFont font, bool header)
            {
                var wrapped = cells.Select((c, i) => Wrap(c, font, widths[i] - 2 * pad)).ToList();
                var height = wrapped.Max(w => Math.Max(1, w.Count)) * font.Height * 1.2 + 2 * pad;
                if (y + height > bottom) { NewPage(); if (!header) Row(t.Headers, smallBold, header: true); }
                var x = margin;
                for (var i = 0; i < cells.Count; i++)
                {
                    gfx.DrawRectangle(new XPen(XColors.Black, 0.5), x, y, widths[i], height);
                    var ly = y + pad;
                    foreach (var l in wrapped[i])
                    {
                        if (header) Centre(l, font, x, widths[i], ly);
                        else gfx.DrawString(l, font, XBrushes.Black, x + pad, ly + font.Size);
                        ly += font.Height * 1.2;
                    }
                    x += widths[i];
                }
                y += height;
            }
            Room(smallBold.Height * 4);
            Row(t.Headers, smallBold, header: true);
            foreach (var r in t.Rows) Row(r, small, header: false);
            y += Line * 0.6;
        }

        /// <summary>The signature blocks side by side at the foot of the body (the last on the right).</summary>
        public void Signatures()
        {
            if (paper.Signers.Count == 0) return;
            var block = Line * 6.5;
            Room(block);
            y += Line * 0.8;
            var columns = paper.Signers.Count == 1 ? 2 : paper.Signers.Count;
            var w = width / columns;
            if (paper.Recipients.Count > 0)
            {
                var ry = y;
                gfx.DrawString("Nơi nhận:", Font(size - 1, XFontStyleEx.Bold), XBrushes.Black, margin, ry + size);
                foreach (var r in paper.Recipients)
                    foreach (var l in Wrap(r, small, w - 6)) { ry += small.Height * 1.25; gfx.DrawString(l, small, XBrushes.Black, margin, ry + size); }
            }
            for (var i = 0; i < paper.Signers.Count; i++)
            {
                var s = paper.Signers[i];
                var x = margin + w * (columns - paper.Signers.Count + i);
                var sy = y;
                foreach (var l in Wrap(s.Title, bold, w - 6)) { Centre(l, bold, x, w, sy); sy += Line; }
                if (s.Hint is { } hint) { Centre(hint, Font(size - 1, XFontStyleEx.Italic), x, w, sy); }
                if (s.Name is { } name) Centre(name, bold, x, w, y + Line * 5.5);
            }
            y += block;
        }

        /// <summary>
        /// Under the signatures: the QR code of the paper's verification address on the left (ECC level M, so a creased
        /// or stamped print still reads), and beside it what it is for, the address in full, and who signed the file.
        /// </summary>
        public void Verification()
        {
            if (paper.Verification is not { } v) return;
            var side = paper.A4 ? 78.0 : 66.0;
            Room(side + 4);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(v.Url, QRCodeGenerator.ECCLevel.M);
            var modules = data.ModuleMatrix;
            var module = side / modules.Count;
            // One path of all dark runs, filled at once: no hairline seams between neighbouring modules when printed.
            var path = new XGraphicsPath { FillMode = XFillMode.Winding };
            for (var row = 0; row < modules.Count; row++)
                for (var col = 0; col < modules.Count;)
                {
                    if (!modules[row][col]) { col++; continue; }
                    var start = col;
                    while (col < modules.Count && modules[row][col]) col++;
                    path.AddRectangle(margin + start * module, y + row * module, (col - start) * module, module);
                }
            gfx.DrawPath(XBrushes.Black, path);

            // The quiet zone (4 modules) is white already: the text starts right of it.
            var x = margin + side + 4;
            var w = width - side - 4;
            var ty = y + module * 4;
            void Text(string text, XFont font)
            {
                foreach (var l in Wrap(text, font, w)) { gfx.DrawString(l, font, XBrushes.Black, x, ty + font.Size); ty += font.Height * 1.2; }
            }
            Text("Kiểm tra giấy này", smallBold);
            Text("Quét mã QR bằng điện thoại hoặc mở địa chỉ:", small);
            // The address in two lines cut after its last '/', the code alone in bold: a wrap inside the code would hide a character.
            var cut = v.Url.LastIndexOf('/') + 1;
            Text(v.Url[..cut], small);
            Text(v.Url[cut..], smallBold);
            if (v.SignedBy is { } signer) Text("Ký số bởi: " + signer, small);
            y += Math.Max(side, ty - y) + 2;
        }

        /// <summary>The footer on every page: what the paper is and of which dossier, and "page n/m".</summary>
        public void Footers()
        {
            gfx.Dispose();
            for (var i = 0; i < document.Pages.Count; i++)
            {
                using var g = XGraphics.FromPdfPage(document.Pages[i]);
                var page = document.Pages[i];
                var fy = page.Height.Point - (paper.A4 ? 40 : 24);
                g.DrawLine(new XPen(XColors.Gray, 0.4), margin, fy - 3, page.Width.Point - margin, fy - 3);
                g.DrawString(paper.Footer, Font(size - 2.5, XFontStyleEx.Regular), XBrushes.DimGray, margin, fy + size - 3);
                g.DrawString(string.Create(CultureInfo.InvariantCulture, $"Trang {i + 1}/{document.Pages.Count}"), Font(size - 2.5, XFontStyleEx.Regular),
                    XBrushes.DimGray, new XRect(margin, fy, page.Width.Point - 2 * margin, size), XStringFormats.TopRight);
            }
        }

        private void Centre(string text, XFont font, double x, double w, double top) =>
            gfx.DrawString(text, font, XBrushes.Black, new XRect(x, top, w, font.Height), XStringFormats.TopCenter);

        private void Rule(double centre, double at, double length) =>
            gfx.DrawLine(new XPen(XColors.Black, 0.6), centre - length / 2, at, centre + length / 2, at);

        /// <summary>The largest size up to <paramref name="max"/> at which the line fits the width (the motto on A5).</summary>
        private XFont Fit(string text, XFontStyleEx style, double w, double max)
        {
            for (var s = max; s > 5; s -= 0.25)
            {
                var f = Font(s, style);
                if (gfx.MeasureString(text, f).Width <= w - 4) return f;
            }
            return Font(5, style);
        }

        /// <summary>Greedy word wrap by measured width; a word longer than the line is cut.</summary>
        private List<string> Wrap(string text, XFont font, double w, double? first = null)
        {
            var lines = new List<string>();
            foreach (var paragraph in text.Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var limit = lines.Count == 0 && first is { } f ? f : w;
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (gfx.MeasureString(candidate, font).Width <= limit) { line = candidate; continue; }
                    if (line.Length > 0) lines.Add(line);
                    line = word;
                    while (gfx.MeasureString(line, font).Width > w && line.Length > 1)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && gfx.MeasureString(line[..cut], font).Width > w) cut--;
                        lines.Add(line[..cut]);
                        line = line[cut..];
                    }
                }
                lines.Add(line);
            }
            return lines;
        }
    }

    /// <summary>"Hòa Bình, ngày 04 tháng 12 năm 2026" in Vietnam's time.</summary>
    public static string DateLine(string place, DateTimeOffset at)
    {
        var d = TimeZoneInfo.ConvertTime(at, Domain.Calendar.Appointment.VietnamTime);
        return string.Create(CultureInfo.InvariantCulture, $"{place}, ngày {d:dd} tháng {d:MM} năm {d:yyyy}");
    }
}
