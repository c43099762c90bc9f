using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Month">"yyyy-MM": show that month's amount instead of the current month's (a past month, or a later one under a rule version already recorded).</param>
public sealed record GetEntitlement(Guid Id, Caller Caller, string? Month = null) : IQuery<EntitlementResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Month is not null && Months.Parse(Month) is null) yield return new("month", "Tháng theo dạng yyyy-MM.");
    }
}

/// <summary>
/// One entitlement with its bases and history and the amount of the current month (rule-based: computed from the rules in
/// force this month; imported: the imported amount, the rules' amount and the difference). Provincial officers, or staff
/// of its ward; anyone else 404. Access-logged.
/// </summary>
public sealed class GetEntitlementHandler(EntitlementViews views) : IQueryHandler<GetEntitlement, EntitlementResponse>
{
    public async ValueTask<EntitlementResponse> Handle(GetEntitlement query, CancellationToken ct) => await views.StaffViewAsync(query.Caller, query.Id, ct, Months.Parse(query.Month));
}
