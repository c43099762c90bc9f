using OneStopWindow.Domain.AdministrativeUnits;

namespace OneStopWindow.Domain.Tests.AdministrativeUnits;

public sealed class SuccessionResolverTests
{
    [Fact]
    public void A_commune_merged_whole_resolves_to_its_successor()
    {
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04789", true, [new("04789", "04828", false)]);
        Assert.Equal(ResolutionKind.Resolved, r.Kind);
        Assert.Equal("04828", r.WardCode);
        Assert.Equal(["04828"], r.Candidates);
        Assert.Null(r.Reason);
    }

    [Fact]
    public void A_split_commune_needs_reverification_with_all_candidates()
    {
        // Vầy Nưa (04891) was divided between two new units; the resolution does not say which villages went where.
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04891", true, [new("04891", "04891", true), new("04891", "04828", true)]);
        Assert.Equal(ResolutionKind.Split, r.Kind);
        Assert.Null(r.WardCode);
        Assert.Equal(["04828", "04891"], r.Candidates);
        Assert.Equal("Xã cũ 04891 đã được chia cho nhiều đơn vị mới (04828, 04891); cần xác minh thôn/xóm.", r.Reason);
    }

    [Fact]
    public void A_repeated_mapping_row_is_still_one_successor()
    {
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04789", true, [new("04789", "04828", false), new("04789", "04828", false)]);
        Assert.Equal(ResolutionKind.Resolved, r.Kind);
        Assert.Equal("04828", r.WardCode);
    }

    [Fact]
    public void An_old_code_unknown_in_its_era_is_not_matched_against_current_codes()
    {
        // 04795 is a current code; an old code is read only through the mapping, so this stays unknown.
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04795", false, []);
        Assert.Equal(ResolutionKind.Unknown, r.Kind);
        Assert.Null(r.WardCode);
        Assert.Empty(r.Candidates);
        Assert.Contains("04795", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_commune_without_mapping_is_unknown()
    {
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "00004", true, []);
        Assert.Equal(ResolutionKind.Unknown, r.Kind);
        Assert.NotNull(r.Reason);
    }

    [Fact]
    public void A_current_code_resolves_to_itself_only_when_it_exists()
    {
        var found = SuccessionResolver.Resolve(AdminEra.Current, "04795", true, []);
        Assert.Equal((ResolutionKind.Resolved, "04795"), (found.Kind, found.WardCode));
        var missing = SuccessionResolver.Resolve(AdminEra.Current, "99999", false, [new("99999", "04828", false)]);
        Assert.Equal(ResolutionKind.Unknown, missing.Kind);
        Assert.Empty(missing.Candidates);
    }
}
