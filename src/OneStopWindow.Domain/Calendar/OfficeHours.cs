namespace OneStopWindow.Domain.Calendar;

/// <summary>
/// Office close: a dossier received later (Vietnam time) counts from the next working day, as if received then (DOMAIN.md
/// §5: "a dossier received outside office hours … starts the next working day"); a posting ends then. The hour is a
/// setting (OfficeHours:Close), passed in; <see cref="Default"/> is the example 17:00.
/// </summary>
public sealed record OfficeHours(TimeOnly Close)
{
    /// <summary>Example office hours 07:00–11:30, 13:30–17:00 (DOMAIN.md §5); Phú Thọ's own hours are unconfirmed.</summary>
    public static readonly OfficeHours Default = new(new TimeOnly(17, 0));

    /// <summary>The instant the office closes on <paramref name="day"/>, in Vietnam.</summary>
    public DateTimeOffset ClosingOn(DateOnly day) => new(day.ToDateTime(Close), Appointment.VietnamTime.BaseUtcOffset);
}
