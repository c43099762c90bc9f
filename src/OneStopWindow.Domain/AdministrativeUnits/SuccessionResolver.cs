namespace OneStopWindow.Domain.AdministrativeUnits;

/// <summary>Before 1 Jul 2025 (pre-reform codes) or after (Decision 19/2025/QĐ-TTg codes).</summary>
public enum AdminEra { Current, Pre2025 }

/// <summary>An old commune-level unit went wholly (or, when Partial, in part) into a new one.</summary>
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
        if (era == AdminEra.Current)
        {
            return existsInEra
                ? new(ResolutionKind.Resolved, code, [code], null)
                : new(ResolutionKind.Unknown, null, [], $"Mã {code} không phải đơn vị hành chính hiện hành.");
        }
        if (!existsInEra || successorsOfCode.Count == 0)
            return new(ResolutionKind.Unknown, null, [], $"Không có xã/phường cũ mã {code} (trước 01/07/2025) trong dữ liệu sắp xếp; cần xác minh địa chỉ.");
        if (successorsOfCode.Count == 1)
            return new(ResolutionKind.Resolved, successorsOfCode[0].NewCode, [successorsOfCode[0].NewCode], null);
        var candidates = successorsOfCode.Select(s => s.NewCode).Order(StringComparer.Ordinal).ToList();
        return new(ResolutionKind.Split, null, candidates,
            $"Xã cũ {code} đã được chia cho nhiều đơn vị mới ({string.Join(", ", candidates)}); cần xác minh thôn/xóm.");
    }
}
