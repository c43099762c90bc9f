using OneStopWindow.Domain.Payments;

namespace OneStopWindow.Domain.Tests.Payments;

/// <summary>Three monthly lines unclaimed in a row, newest first, propose a suspension; anything else in the last three does not.</summary>
public sealed class UnclaimedPaymentsTests
{
    [Theory]
    [InlineData(true, "unclaimed", "unclaimed", "unclaimed")]
    [InlineData(true, "unclaimed", "unclaimed", "unclaimed", "paid")]
    [InlineData(false, "unclaimed", "unclaimed")]
    [InlineData(false, "unclaimed", "unclaimed", "paid")]
    [InlineData(false, "paid", "unclaimed", "unclaimed", "unclaimed")]
    [InlineData(false, "unclaimed", "failed", "unclaimed")]
    [InlineData(false, "wrong-account", "unclaimed", "unclaimed")]
    public void The_last_three_reconciled_lines_decide(bool proposes, params string[] newestFirst) =>
        Assert.Equal(proposes, UnclaimedPayments.ProposesSuspension(newestFirst));
}
