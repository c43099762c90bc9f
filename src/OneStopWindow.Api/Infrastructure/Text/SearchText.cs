using System.Globalization;
using System.Text;

namespace OneStopWindow.Api.Infrastructure.Text;

/// <summary>
/// Case- and accent-insensitive search without engine collations: both the stored search column and
/// the query are folded the same way ("Phường Hòa Bình" → "phuong hoa binh").
/// </summary>
public static class SearchText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var folded = c == 'đ' ? 'd' : c;
            if (char.IsWhiteSpace(folded))
            {
                if (!lastWasSpace) sb.Append(' ');
                lastWasSpace = true;
                continue;
            }
            sb.Append(folded);
            lastWasSpace = false;
        }
        return sb.ToString();
    }

    /// <summary>A LIKE pattern for a folded query; LIKE wildcards typed by the user are taken literally.</summary>
    public static string ContainsPattern(string? query) =>
        "%" + Fold(query).Replace("[", "", StringComparison.Ordinal).Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%";
}
