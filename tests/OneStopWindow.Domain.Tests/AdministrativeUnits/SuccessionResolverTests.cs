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
    }

    [Fact]
    public void A_split_commune_needs_reverification_with_both_candidates()
    {
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04891", true, [new("04891", "04891", true), new("04891", "04828", true)]);
        Assert.Equal(ResolutionKind.Split, r.Kind);
        Assert.Null(r.WardCode);
        Assert.Equal(["04828", "04891"], r.Candidates);
        Assert.Contains("04891", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_old_code_is_not_matched_against_current_codes()
    {
        // 04795 exists today (Phường Hòa Bình), but an old code is read only through the mapping.
        var r = SuccessionResolver.Resolve(AdminEra.Pre2025, "04795", false, []);
        Assert.Equal(ResolutionKind.Unknown, r.Kind);
        Assert.NotNull(r.Reason);
    }

    [Fact]
    public void A_current_code_resolves_to_itself_when_it_exists()
    {
        Assert.Equal("04795", SuccessionResolver.Resolve(AdminEra.Current, "04795", true, []).WardCode);
        Assert.Equal(ResolutionKind.Unknown, SuccessionResolver.Resolve(AdminEra.Current, "99999", false, []).Kind);
    }
}
