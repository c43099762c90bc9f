using System.Globalization;
using System.Text;

namespace OneStopWindow.Api.Features.Documents;

/// <summary>
/// The name an attachment is stored, listed and downloaded under. It comes from the uploader's machine and is shown to
/// staff, so: the last path segment only; no bidi controls (U+202E turned "invoice‮fdp.exe" into what reads as
/// "invoiceexe.pdf"), no other control or format characters (zero-width, BOM, soft hyphen) and no line separators;
/// composed (NFC: the same Vietnamese word typed on two systems arrives composed or decomposed); trimmed; at most
/// <see cref="MaxLength"/> characters with the extension kept; "tai-lieu" and the type's extension when nothing is left.
/// Cleaning a clean name changes nothing.
/// </summary>
public static class DocumentFileName
{
    public const int MaxLength = 200;

    /// <summary>An extension longer than this is part of the name (it is cut like the rest).</summary>
    private const int MaxExtension = 16;

    private const string Fallback = "tai-lieu";

    public static string Clean(string? raw, string contentType)
    {
        var name = raw ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];

        var kept = new StringBuilder(name.Length);
        // Runes: a lone surrogate arrives as U+FFFD and goes with the rest of what cannot be shown.
        foreach (var rune in name.EnumerateRunes())
            if (Keeps(rune)) kept.Append(rune.ToString());
        name = kept.ToString().Normalize(NormalizationForm.FormC).Trim();

        var extension = Path.GetExtension(name);
        if (extension.Length > MaxExtension) extension = "";
        var stem = name[..^extension.Length];
        if (stem.Trim().Trim('.').Length == 0) return Fallback + (extension.Length > 0 ? extension : FileSignatures.ExtensionOf(contentType));
        if (stem.Length + extension.Length > MaxLength) stem = Cut(stem, MaxLength - extension.Length).TrimEnd();
        return stem + extension;
    }

    private static bool Keeps(Rune rune) =>
        rune != Rune.ReplacementChar && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);

    /// <summary>The longest prefix of whole text elements (a letter with its marks, an emoji) within the length.</summary>
    private static string Cut(string text, int length)
    {
        var end = 0;
        foreach (var start in StringInfo.ParseCombiningCharacters(text))
        {
            if (start > length) break;
            end = start;
        }
        return text[..end];
    }
}
