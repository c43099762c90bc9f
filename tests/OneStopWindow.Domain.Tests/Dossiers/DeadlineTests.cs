using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

/// <summary>The deadline predicates (the SQL twin is checked against them on a real database in the Api tests).</summary>
public sealed class DeadlineTests
{
    private static readonly WorkingCalendar Weekdays = new([]);

    // Thursday 3 Dec 2026: the risk date is Friday 4 Dec; from Friday it is Monday 7 Dec.
    private static readonly Deadline.Horizon Thursday = Deadline.Horizon.On(new DateOnly(2026, 12, 3), Weekdays);

    private static Deadline.Facts Open(string appointment, bool paused = false, bool marked = false, DossierStatus status = DossierStatus.InVerification) =>
        new(status, DateOnly.Parse(appointment, System.Globalization.CultureInfo.InvariantCulture), paused, marked);

    [Fact]
    public void The_risk_date_is_the_next_working_day()
    {
        Assert.Equal(new DateOnly(2026, 12, 4), Thursday.RiskDate);
        Assert.Equal(new DateOnly(2026, 12, 7), Deadline.Horizon.On(new DateOnly(2026, 12, 4), Weekdays).RiskDate);
    }

    [Theory]
    [InlineData("2026-12-02", 0)]   // yesterday: overdue
    [InlineData("2026-12-03", 1)]   // today: at risk
    [InlineData("2026-12-04", 1)]   // tomorrow, one working day: at risk
    [InlineData("2026-12-07", 2)]   // Monday: within time
    public void Urgency_follows_the_appointment_date(string appointment, int urgency) =>
        Assert.Equal(urgency, Deadline.Urgency(Open(appointment), Thursday));

    [Theory]
    [InlineData("2026-11-20")]
    [InlineData("2026-12-03")]
    [InlineData("2026-12-04")]
    public void A_paused_clock_is_never_overdue_or_at_risk(string appointment)
    {
        var paused = Open(appointment, paused: true, status: DossierStatus.SupplementRequested);
        Assert.False(Deadline.IsOverdue(paused, Thursday));
        Assert.False(Deadline.IsAtRisk(paused, Thursday));
        Assert.False(Deadline.IsOverdue(paused with { MarkedOverdue = true }, Thursday));
        Assert.Equal(2, Deadline.Urgency(paused, Thursday));
    }

    [Theory]
    [InlineData(DossierStatus.ResultReady)]
    [InlineData(DossierStatus.Returned)]
    [InlineData(DossierStatus.Withdrawn)]
    public void A_finished_dossier_is_neither(DossierStatus status)
    {
        Assert.False(Deadline.IsOverdue(Open("2026-11-20", marked: true, status: status), Thursday));
        Assert.False(Deadline.IsAtRisk(Open("2026-12-03", status: status), Thursday));
    }

    [Fact]
    public void Marked_overdue_stays_overdue_with_its_new_date_and_is_not_at_risk()
    {
        var rescheduled = Open("2026-12-04", marked: true);
        Assert.True(Deadline.IsOverdue(rescheduled, Thursday));
        Assert.False(Deadline.IsAtRisk(rescheduled, Thursday));
    }

    [Fact]
    public void The_finished_list_in_SQL_is_the_finished_set()
    {
        var inSql = Deadline.Sql.FinishedList.Trim('(', ')').Split(", ").Select(s => Enum.Parse<DossierStatus>(s.Trim('\''))).ToHashSet();
        Assert.True(inSql.SetEquals(Deadline.Finished));
        Assert.All(Enum.GetValues<DossierStatus>(), s => Assert.Equal(!Deadline.Finished.Contains(s), s.IsOpen()));
    }

    [Fact]
    public void Priority_orders_by_urgency_then_need_then_date_then_code()
    {
        var d = new DateOnly(2026, 12, 10);
        Priority.Key[] expected =
        [
            new(0, 0, d.AddDays(5), "B"),
            new(1, 7, d, "Z"),
            new(1, 2, d, "A"),
            new(1, 2, d, "B"),
            new(1, 2, d.AddDays(1), "A"),
            new(2, 9, d, "A"),
        ];
        Assert.Equal(expected, expected.Reverse().Order().ToArray());
    }

    [Fact]
    public void Need_is_the_weights_of_zone_region_and_vulnerability()
    {
        Assert.Equal(2 + 3 + 2, Priority.Need("mountainous", "III", vulnerable: true));
        Assert.Equal(1, Priority.Need("midland", "none", vulnerable: false));
        Assert.Equal(0, Priority.Need("urban", null, vulnerable: false));
        Assert.Contains("WHEN 'mountainous' THEN 2", Priority.NeedSql, StringComparison.Ordinal);
        Assert.Contains("WHEN 'III' THEN 3", Priority.NeedSql, StringComparison.Ordinal);
    }
}
