using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>Vietnamese by default; English when the caller's Accept-Language prefers it.</summary>
public enum Language { Vi, En }

public static class LanguageNegotiation
{
    public static Language From(HttpRequest request)
    {
        var header = request.Headers.AcceptLanguage.ToString();
        if (string.IsNullOrWhiteSpace(header) || !StringWithQualityHeaderValue.TryParseList([header], out var values)) return Language.Vi;
        foreach (var v in values.OrderByDescending(v => v.Quality ?? 1.0))
        {
            var tag = v.Value.ToString();
            if (tag.StartsWith("vi", StringComparison.OrdinalIgnoreCase)) return Language.Vi;
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return Language.En;
        }
        return Language.Vi;
    }

    /// <summary>Says which language the body is in, so caches and clients can tell the two apart.</summary>
    public static void Announce(HttpResponse response, Language language)
    {
        response.Headers.ContentLanguage = language == Language.En ? "en" : "vi";
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
    }

    /// <summary>Picks one language out of a {"vi": "...", "en": "..."} object of the seed data.</summary>
    public static string? Pick(this JsonElement localized, Language language)
    {
        if (localized.ValueKind != JsonValueKind.Object) return null;
        var key = language == Language.En ? "en" : "vi";
        if (localized.TryGetProperty(key, out var text) && text.ValueKind == JsonValueKind.String) return text.GetString();
        return localized.TryGetProperty("vi", out var vi) ? vi.GetString() : null;
    }
}
