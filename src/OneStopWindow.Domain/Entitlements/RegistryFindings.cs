namespace OneStopWindow.Domain.Entitlements;

/// <summary>What the population registry says of one person (contract: api-specs/registry-gateway.openapi.json, CitizenStatus).</summary>
/// <param name="Status">alive | deceased | not-found.</param>
/// <param name="ResidenceWardCode">Where the person is registered as living now (current 5-digit ward code), when the registry knows.</param>
public sealed record CitizenStatus(string Status, DateOnly? DateOfDeath, string? ResidenceWardCode, DateOnly? ResidenceSince);

/// <summary>A change the registry's answer proposes for one Active entitlement; staff confirm it or dismiss it.</summary>
/// <param name="Kind"><see cref="RegistryFindings.Death"/> or <see cref="RegistryFindings.Move"/>.</param>
/// <param name="Confirmation">The staff action that confirming it runs, on the entitlement's transition table.</param>
public sealed record ProposedChange(string Kind, EntitlementAction Confirmation);

/// <summary>
/// The periodic check of active beneficiaries against the population registry (issue 18, part 3) only proposes: the
/// registry can be wrong or late, and a death or a move changes a payment, so a ward officer confirms each finding as
/// if the report had come to the ward (the same death or move report), or dismisses it with a note.
/// </summary>
public static class RegistryFindings
{
    /// <summary>The registry records the person as deceased: confirming records the death report (ends with the month of death).</summary>
    public const string Death = "death";

    /// <summary>The registry has the person living in another ward: confirming records the move report (suspended, reason <c>moved</c>).</summary>
    public const string Move = "move";

    /// <summary>A proposal of <paramref name="kind"/> and the action confirming it runs.</summary>
    public static ProposedChange Change(string kind) => new(kind, kind == Death ? EntitlementAction.ReportDeath : EntitlementAction.Suspend);

    /// <summary>
    /// A death outweighs a move; a person alive in the entitlement's own ward, unknown to the registry, or alive without a
    /// known residence proposes nothing. <paramref name="handlingWard"/> is the ward paying the entitlement.
    /// </summary>
    public static ProposedChange? Propose(CitizenStatus answer, string handlingWard) => answer.Status switch
    {
        "deceased" => Change(Death),
        "alive" when answer.ResidenceWardCode is { Length: > 0 } ward && ward != handlingWard => Change(Move),
        _ => null,
    };
}
