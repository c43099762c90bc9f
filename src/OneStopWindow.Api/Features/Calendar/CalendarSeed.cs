using System.Globalization;
using System.Text.Json;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>A notice shipped in Seed/calendar-notices.json: what the government announced for a year.</summary>
public sealed record SeedNotice(int Year, CalendarNotice Notice, IReadOnlyList<CalendarEntry> Entries)
{
    /// <summary>The year's entries under this notice: statutory holidays placed as it says, its swaps replacing the default compensation.</summary>
    public IReadOnlyList<StoredCalendarEntry> YearEntries() => VietnameseHolidays.ForYear(Year, Entries).Select(StoredCalendarEntry.From).ToList();
}

/// <summary>
/// Keeps the stored calendar complete and the seed's notices applied, at every start (inside the seeder's transaction, see
/// <see cref="ISeedPart"/>) and from the hourly upkeep job:
/// <list type="bullet">
/// <item>every year from <see cref="FirstYear"/> to today's year + <see cref="YearsAhead"/> (Vietnam's date, from the injected
/// clock) exists; a missing year is computed by the default rule and is provisional;</item>
/// <item>a year found with entries but no record (a database from before the calendar was administered) is adopted as it is,
/// provisional — unless its rows are the default rule's or the seed notice's, in which case the notice applies;</item>
/// <item>a notice of the seed is applied to a year still provisional, and replaces an earlier seed notice the release corrected;
/// never a notice an administrator recorded.</item>
/// </list>
/// Idempotent: a second run finds nothing to do, and two nodes starting together are serialised by the calendar lock.
/// </summary>
public sealed class CalendarSeed(TimeProvider clock, ILogger<CalendarSeed> logger) : ISeedPart
{
    public const int FirstYear = 2025;

    /// <summary>The calendar always reaches this many years past today's (an appointment is never computed on an empty year).</summary>
    public const int YearsAhead = 3;

    public async Task SeedAsync(DbWrite tx, CancellationToken ct) => await RunAsync(tx);

    /// <summary>Brings the calendar up to date in <paramref name="tx"/>; returns the number of years changed.</summary>
    public async Task<int> RunAsync(DbWrite tx)
    {
        await CalendarStore.LockAsync(tx);
        var now = clock.GetUtcNow();
        var lastYear = Appointment.DateInVietnam(now).Year + YearsAhead;
        var states = (await CalendarStore.YearsAsync(tx)).ToDictionary(y => y.YearNumber);
        var stored = (await CalendarStore.AllEntriesAsync(tx)).GroupBy(e => e.WorkDate.Year).ToDictionary(g => g.Key, g => (IReadOnlyList<StoredCalendarEntry>)g.ToList());
        var years = Enumerable.Range(FirstYear, Math.Max(0, lastYear - FirstYear + 1)).Union(stored.Keys).Order();
        var changed = 0;
        foreach (var year in years)
        {
            var before = stored.GetValueOrDefault(year) ?? [];
            var seed = Notices.GetValueOrDefault(year);
            var (after, notice, change) = Decide(year, states.GetValueOrDefault(year), before, seed);
            if (change is null) continue;
            await CalendarStore.RecordAsync(tx, year, before, after, notice, change, CalendarStore.Seed, now);
            changed++;
        }
        if (changed > 0) logger.LogInformation("Working calendar: {Years} year(s) filled, adopted or given the seed's notice", changed);
        return changed;
    }

    private (IReadOnlyList<StoredCalendarEntry> After, CalendarNotice? Notice, string? Change) Decide(
        int year, CalendarYearRow? state, IReadOnlyList<StoredCalendarEntry> before, SeedNotice? seed)
    {
        var seeded = seed?.YearEntries();
        if (state is null && before.Count == 0)
            return seed is null
                ? (VietnameseHolidays.ForYear(year, null).Select(StoredCalendarEntry.From).ToList(), null, CalendarStore.Changes.Filled)
                : (seeded!, seed.Notice, CalendarStore.Changes.SeedNotice);
        if (state is null)
        {
            var standard = VietnameseHolidays.ForYear(year, null).Select(StoredCalendarEntry.From).ToList();
            if (seed is not null && (SameDays(before, standard) || SameDays(before, seeded!))) return (seeded!, seed.Notice, CalendarStore.Changes.SeedNotice);
            if (seed is not null)
                logger.LogWarning("Working calendar {Year}: the stored days differ from both the default rule and the seed's notice {Notice}; " +
                    "they are kept (provisional) — an administrator records the notice through PUT /api/v1/calendar/{{year}}", year, seed.Notice.Number);
            return (before, null, CalendarStore.Changes.Adopted);
        }
        if (seed is null) return (before, null, null);
        // An administrator's notice is never overwritten; the seed's own earlier notice is, when the release corrected it.
        var provisional = state.NoticeNumber is null;
        var seedsOwn = state.RecordedBy == CalendarStore.Seed && (state.Notice != seed.Notice || CalendarStore.Diff(before, seeded!).Count > 0);
        return provisional || seedsOwn ? (seeded!, seed.Notice, CalendarStore.Changes.SeedNotice) : (before, null, null);
    }

    /// <summary>The same days off and working days (names may be worded differently).</summary>
    private static bool SameDays(IReadOnlyList<StoredCalendarEntry> a, IReadOnlyList<StoredCalendarEntry> b) =>
        a.Select(e => (e.WorkDate, e.Kind)).ToHashSet().SetEquals(b.Select(e => (e.WorkDate, e.Kind)));

    /// <summary>The seed's notices by year, read once; a malformed file stops the start (a test reads every notice).</summary>
    public static IReadOnlyDictionary<int, SeedNotice> Notices => LazyNotices.Value;

    private static readonly Lazy<IReadOnlyDictionary<int, SeedNotice>> LazyNotices = new(() => Parse(Seeder.ReadResource("calendar-notices.json")));

    public static IReadOnlyDictionary<int, SeedNotice> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<int, SeedNotice>();
        foreach (var n in doc.RootElement.EnumerateArray())
        {
            var year = n.GetProperty("year").GetInt32();
            var notice = new CalendarNotice(n.GetProperty("number").GetString()!, Date(n.GetProperty("date").GetString()!), n.GetProperty("title").GetString()!);
            var source = n.GetProperty("source").GetString() ?? notice.Citation;
            var entries = n.GetProperty("entries").EnumerateArray().Select(e => new CalendarEntry(Date(e.GetProperty("date").GetString()!),
                    CalendarKinds.Parse(e.GetProperty("kind").GetString())
                        ?? throw new FormatException($"calendar-notices.json {year}: unknown kind '{e.GetProperty("kind").GetString()}'"),
                    e.GetProperty("name").GetString() ?? "", source))
                .ToList();
            var problems = CalendarYearRules.Check(year, VietnameseHolidays.ForYear(year, entries).Select((e, i) => (i, e)).ToList());
            if (problems.Count > 0) throw new FormatException($"calendar-notices.json {year}: {string.Join(" ", problems.Select(p => p.Message))}");
            result[year] = new SeedNotice(year, notice, entries);
        }
        return result;
    }

    private static DateOnly Date(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
