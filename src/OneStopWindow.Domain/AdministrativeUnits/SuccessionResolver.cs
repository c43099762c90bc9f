namespace OneStopWindow.Domain.AdministrativeUnits;

/// <summary>Before 1 Jul 2025 (pre-reform codes) or after (Decision 19/2025/QĐ-TTg codes).</summary>
public enum AdminEra { Current, Pre2025 }

/// <summary>An old commune-level unit went wholly (or, when Partial, in part) into a new one (Resolution 1676/NQ-UBTVQH15 for Phú Thọ).</summary>
public sealed record Succession(string OldCode, string NewCode, bool Partial);

public enum ResolutionKind { Resolved, Split, Unknown }

public sealed record ResidenceResolution(ResolutionKind Kind, string? WardCode, IReadOnlyList<string> Candidates, string? Reason);

/// <summary>
/// Ties a residence code to the ward that handles it today. A code is only ever read within its era —
/// 69 of Phú Thọ's current codes named a different unit before 1 Jul 2025 — so a pre-2025 code is
/// resolved through the succession mapping alone, never by looking it up among current codes.
/// </summary>
public static class SuccessionResolver
{
    public static ResidenceResolution Resolve(AdminEra era, string code, bool existsInEra, IReadOnlyList<Succession> successorsOfCode)
    {
        ArgumentNullException.ThrowIfNull(successorsOfCode);
        if (era == AdminEra.Current)
        {
            return existsInEra
                ? new(ResolutionKind.Resolved, code, [code], null)
                : Unknown($"Mã {code} không phải xã/phường/đặc khu hiện hành (từ 01/07/2025); cần xác minh địa chỉ.");
        }
        if (!existsInEra)
            return Unknown($"Mã {code} không phải xã/phường/thị trấn trước 01/07/2025; cần xác minh địa chỉ.");
        var candidates = successorsOfCode.Select(s => s.NewCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return candidates.Count switch
        {
            0 => Unknown($"Chưa có dữ liệu sắp xếp cho xã cũ {code}; cần xác minh địa chỉ."),
            1 => new(ResolutionKind.Resolved, candidates[0], candidates, null),
            _ => new(ResolutionKind.Split, null, candidates,
                $"Xã cũ {code} đã được chia cho nhiều đơn vị mới ({string.Join(", ", candidates)}); cần xác minh thôn/xóm."),
        };
    }

    private static ResidenceResolution Unknown(string reason) => new(ResolutionKind.Unknown, null, [], reason);
}
