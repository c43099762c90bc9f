using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Procedures.BenefitRules;

/// <summary>
/// The checks a new rule version passes, in one place for saving it (<see cref="AddBenefitRule"/>) and for its dry run:
/// both answer the same problems for the same body.
/// </summary>
public static class ProposedRuleVersion
{
    public static string Code(string code) => code.Trim().ToUpperInvariant();

    /// <summary>The body's fields (400 through the validation pipeline).</summary>
    public static IEnumerable<FieldError> FieldErrors(AddBenefitRuleRequest r)
    {
        if (r.ValidFrom is not { } from) yield return new("validFrom", "Nhập ngày bắt đầu hiệu lực (yyyy-MM-01).");
        else if (from.Day != 1) yield return new("validFrom", "Mức hưởng tính theo tháng: ngày hiệu lực phải là ngày đầu tháng.");
        if (r.Parameters is not { ValueKind: JsonValueKind.Object }) yield return new("parameters", "Nhập bộ quy định đầy đủ (đối tượng JSON).");
        if (string.IsNullOrWhiteSpace(r.LegalText) || r.LegalText.Length > 1000)
            yield return new("legalText", "Ghi rõ văn bản làm căn cứ (số, ngày ban hành) — tối đa 1000 ký tự.");
    }

    /// <summary>The rules of a body that passed <see cref="FieldErrors"/>, open-ended from its month; a format error is a 400 on <c>parameters</c>.</summary>
    public static BenefitRuleSet Parse(AddBenefitRuleRequest r)
    {
        try
        {
            return BenefitRuleSet.FromParameters(r.Parameters!.Value, r.ValidFrom!.Value, null);
        }
        catch (FormatException e)
        {
            throw ProblemException.Validation([new("parameters", "Bộ quy định không hợp lệ: " + e.Message)]);
        }
    }

    /// <summary>
    /// The latest stored version, which a version from <paramref name="from"/> ends: 404 when the procedure has no rules,
    /// 409 unless <paramref name="from"/> is after the latest version's month (an earlier month's amounts stay as decided).
    /// </summary>
    public static BenefitRuleRow Latest(string requestedCode, IReadOnlyList<BenefitRuleRow> versions, DateOnly from)
    {
        if (versions.Count == 0) throw ProblemException.NotFound($"quy định mức hưởng của thủ tục {requestedCode}");
        var latest = versions[^1];
        if (from <= latest.ValidFrom)
            throw ProblemException.Conflict("rule-version-order", "Phiên bản quy định phải có hiệu lực sau phiên bản mới nhất",
                $"Phiên bản mới nhất có hiệu lực từ {latest.ValidFrom:dd/MM/yyyy}; phiên bản mới phải bắt đầu từ tháng sau đó.");
        return latest;
    }
}
