namespace OneStopWindow.Domain.Calendar;

/// <summary>Office close: a dossier received later (Vietnam time) counts from the next working day; a posting ends then.</summary>
public static class OfficeHours
{
    // Example office hours 07:00–11:30, 13:30–17:00 (DOMAIN.md §5); Phú Thọ's own hours are unconfirmed.
    public static readonly TimeOnly Close = new(17, 0);

    /// <summary>The instant the office closes on <paramref name="day"/>, in Vietnam.</summary>
    public static DateTimeOffset ClosingOn(DateOnly day) => new(day.ToDateTime(Close), Appointment.VietnamTime.BaseUtcOffset);
}
