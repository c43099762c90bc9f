namespace OneStopWindow.Api.Features.Papers;

/// <summary>
/// A paper as the renderer lays it out, after the official forms' practice: the issuing unit top left, the national
/// motto top right, the place and date, the title centred, the body, the signature blocks. Everything printed is here,
/// so the same document gives the same bytes (<see cref="PaperRenderer"/>).
/// </summary>
/// <param name="Id">The paper's id: the PDF's document id, so two renderings of one paper are byte-identical.</param>
/// <param name="IssuedAt">The event's time: the PDF's creation date and the date printed.</param>
/// <param name="UnitAbove">The issuing unit's parent line ("UBND TỈNH PHÚ THỌ"), or the ward's people's committee.</param>
/// <param name="Unit">The issuing unit, bold ("BỘ PHẬN MỘT CỬA", "ỦY BAN NHÂN DÂN PHƯỜNG HÒA BÌNH").</param>
/// <param name="Number">The paper's number line ("Số: 12/QĐ-UBND"), or null.</param>
/// <param name="Place">The place in the date line ("Hòa Bình, ngày 04 tháng 12 năm 2026").</param>
/// <param name="Form">The form's label, printed small in the top right corner ("Mẫu số 01"), or null.</param>
public sealed record PaperDocument(Guid Id, DateTimeOffset IssuedAt, bool A4, string UnitAbove, string Unit, string? Number, string Place,
    string? Form, string Title, string? Subtitle, IReadOnlyList<PaperBlock> Blocks, IReadOnlyList<PaperSigner> Signers, string Footer)
{
    /// <summary>The document title in the PDF's metadata (no personal data: the form and the dossier code).</summary>
    public string MetadataTitle { get; init; } = Title;

    /// <summary>The line above the unit bold too (the decision: the authority's name is both lines).</summary>
    public bool UnitAboveBold { get; init; }

    /// <summary>"Nơi nhận:" — who receives copies, bottom left beside the signature (the decision).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The QR code's public verification address and who signs the paper, or null (papers issued before verification existed).</summary>
    public PaperVerification? Verification { get; init; }
}

/// <param name="Url">What the QR code opens (the installation's public address + /api/v1/verify/{code}), printed beside it too.</param>
/// <param name="SignedBy">The signing certificate's name, printed as "Ký số bởi"; null when the paper is rendered unsigned.</param>
public sealed record PaperVerification(string Url, string? SignedBy);

public abstract record PaperBlock;

/// <summary>"Label: value" — the label in regular weight, the value bold when <paramref name="Strong"/>.</summary>
public sealed record PaperField(string Label, string Value, bool Strong = false) : PaperBlock;

/// <param name="Lead">Printed bold before the text, on its first line ("Điều 1.").</param>
public sealed record PaperParagraph(string Text, bool Bold = false, bool Italic = false, bool Centred = false, string? Lead = null) : PaperBlock;

/// <summary>A numbered list (the missing items, the documents received).</summary>
public sealed record PaperList(IReadOnlyList<string> Items) : PaperBlock;

/// <summary>A ruled table; <paramref name="Widths"/> are the columns' shares of the line.</summary>
public sealed record PaperTable(IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows) : PaperBlock;

public sealed record PaperSpace(double Points) : PaperBlock;

/// <param name="Title">The signer's capacity, bold ("NGƯỜI TIẾP NHẬN", "CHỦ TỊCH").</param>
/// <param name="Hint">Under it, italic ("(Ký và ghi rõ họ tên)"); where the signature goes (the signing step stamps here).</param>
/// <param name="Name">The signer's name under the space for the signature, bold, or null for a blank to fill by hand.</param>
public sealed record PaperSigner(string Title, string? Hint, string? Name);
