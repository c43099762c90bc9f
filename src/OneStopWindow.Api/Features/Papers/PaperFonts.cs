using PdfSharp.Fonts;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>
/// The papers' one font, DejaVu Sans (regular, bold, oblique), shipped inside the executable with its licence
/// (Fonts/LICENSE-DejaVu.txt, the Bitstream Vera licence): full Vietnamese diacritics, and no PDF depends on the fonts
/// of the machine (the container image has none). Every family name resolves to it.
/// </summary>
public sealed class PaperFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, byte[]> Faces = new(StringComparer.Ordinal)
    {
        ["DejaVuSans"] = Load("DejaVuSans.ttf"),
        ["DejaVuSans-Bold"] = Load("DejaVuSans-Bold.ttf"),
        ["DejaVuSans-Oblique"] = Load("DejaVuSans-Oblique.ttf"),
    };

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global and may be set only once).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is PaperFonts) return;
            GlobalFontSettings.FontResolver = new PaperFonts();
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : italic ? "DejaVuSans-Oblique" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => Faces.GetValueOrDefault(faceName);

    private static byte[] Load(string file)
    {
        var name = typeof(PaperFonts).Assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + file, StringComparison.Ordinal));
        using var stream = typeof(PaperFonts).Assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
