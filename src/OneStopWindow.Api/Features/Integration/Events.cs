using System.Globalization;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Integration;

/// <summary>The dossier as an event describes it: identifiers and state only, never personal data.</summary>
public sealed record EventDossierResponse(string Code, string ProcedureCode, string Status, int NationalStatusCode, string? HandlingWardCode,
    int Version, string Href);

/// <summary>The entitlement as an event describes it (issue 18): identifiers and status only — never the group, coefficient or reason.</summary>
/// <param name="Href">Where a client with the entitlements:read scope reads it (`GET /api/v1/integration/entitlements/{id}`).</param>
public sealed record EventEntitlementResponse(Guid Id, string BenefitCode, string Status, string? WardCode, int Version, string Href);

/// <summary>A ward's monthly payment list as an event describes it (issue 19): identifiers and status only — no person, amount or month paid.</summary>
public sealed record EventPaymentListResponse(Guid Id, string? WardCode, string Status, int Version);

/// <summary>The payer's result for one line of a payment list (issue 19): identifiers and status only — no person, amount, account or month.</summary>
/// <param name="Status">`paid` (type PaymentLinePaid), or `failed`, `unclaimed`, `wrong-account` (type PaymentLineFailed: the months go on the next list).</param>
/// <param name="EntitlementId">The entitlement the line pays; null for a one-off payable.</param>
public sealed record EventPaymentLineResponse(Guid Id, Guid ListId, Guid? EntitlementId, string? WardCode, string Status);

/// <summary>
/// One change of one dossier, or (types `Entitlement…`) of one entitlement of the benefit register, or (types `PaymentList…`)
/// of one ward's payment list, or (types `PaymentLine…`) the payer's result for one line: exactly one of `dossier`, `entitlement`,
/// `paymentList` and `paymentLine` is set. `cursor` orders all events;
/// `id` is stable (use it to de-duplicate).
/// </summary>
public sealed record IntegrationEventResponse(string Cursor, Guid Id, string Type, DateTimeOffset OccurredAt, EventDossierResponse? Dossier,
    EventEntitlementResponse? Entitlement = null, EventPaymentListResponse? PaymentList = null, EventPaymentLineResponse? PaymentLine = null);

/// <param name="NextCursor">Pass as `after` for the next page (also when this page is empty: it may have skipped events outside your scope).</param>
/// <param name="HasMore">More events exist right now; keep paging until false, then poll.</param>
public sealed record EventPageResponse(IReadOnlyList<IntegrationEventResponse> Events, string NextCursor, bool HasMore);

/// <summary>A row of the outbox, as both the feed and the webhook fan-out read it.</summary>
public sealed record IntegrationEventRow
{
    public long Position { get; init; }
    public Guid Id { get; init; }
    public Guid? DossierId { get; init; }
    public string? DossierCode { get; init; }
    public Guid? EntitlementId { get; init; }
    public Guid? PaymentListId { get; init; }
    public Guid? PaymentLineId { get; init; }
    public string ProcedureCode { get; init; } = "";
    public string? WardCode { get; init; }
    public Guid? ClientId { get; init; }
    public string EventType { get; init; } = "";
    public string StatusAfter { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    public IntegrationEventResponse ToResponse() => PaymentLineId is { } line
        ? new(Position.ToString(CultureInfo.InvariantCulture), Id, EventType, OccurredAt, null, null, null,
            new(line, PaymentListId ?? Guid.Empty, EntitlementId, WardCode, StatusAfter))
        : PaymentListId is { } list
        ? new(Position.ToString(CultureInfo.InvariantCulture), Id, EventType, OccurredAt, null, null, new(list, WardCode, StatusAfter, Version))
        : EntitlementId is { } entitlement
        ? new(Position.ToString(CultureInfo.InvariantCulture), Id, EventType, OccurredAt, null,
            new(entitlement, ProcedureCode, StatusAfter, WardCode, Version, $"/api/v1/integration/entitlements/{entitlement}"))
        : new(Position.ToString(CultureInfo.InvariantCulture), Id, EventType, OccurredAt,
            new(DossierCode ?? "", ProcedureCode, StatusAfter, Enum.TryParse<DossierStatus>(StatusAfter, out var s) ? s.NationalCode() : 0, WardCode, Version,
                $"/api/v1/dossiers/{DossierCode}"));
}

/// <summary>Reads the outbox in its stable total order (see the dialects' <see cref="ISqlDialect.EventsAfter"/>).</summary>
public static class EventLog
{
    public static Task<IReadOnlyList<IntegrationEventRow>> ReadAsync(Db db, long after, int limit, CancellationToken ct) =>
        db.QueryAsync<IntegrationEventRow>(db.Dialect.EventsAfter, new { After = after, Limit = limit }, ct);
}

/// <summary>
/// A named reader's position in the outbox (the webhook relay, the report projector). Read, then moved inside the reader's
/// write transaction with compare-and-set: if another worker node moved it meanwhile, the move changes nothing and the
/// reader's transaction must not commit.
/// </summary>
public static class OutboxCursor
{
    public static Task<long?> ReadAsync(Db db, string name, CancellationToken ct) => db.SingleOrDefaultAsync<long?>(Sql.Read, new { Name = name }, ct);

    /// <summary>True when this transaction moved the cursor from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static async Task<bool> MoveAsync(DbWrite tx, string name, long from, long to) =>
        from == 0 && await tx.ScalarAsync<long>(Sql.Exists, new { Name = name }) == 0
            ? await tx.ExecuteAsync(Sql.Insert, new { Name = name, Position = to }) == 1
            : await tx.ExecuteAsync(Sql.Move, new { Name = name, Old = from, New = to }) == 1;

    internal static class Sql
    {
        public const string Read = "SELECT position FROM outbox_cursor WHERE name = @Name";
        public const string Exists = "SELECT COUNT(*) FROM outbox_cursor WHERE name = @Name";
        public const string Insert = "INSERT INTO outbox_cursor (name, position) VALUES (@Name, @Position)";
        public const string Move = "UPDATE outbox_cursor SET position = @New WHERE name = @Name AND position = @Old";
    }
}

public sealed record GetEvents(Caller Caller, string? After, int? Limit) : IQuery<EventPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (After is not null && !long.TryParse(After, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            yield return new("after", "Con trỏ 'after' phải là giá trị 'nextCursor' của trang trước (hoặc bỏ trống để đọc từ đầu).");
        if (Limit is < 1 or > 1000) yield return new("limit", "Số sự kiện mỗi trang từ 1 đến 1000.");
    }
}

public sealed class GetEventsHandler(Db db) : IQueryHandler<GetEvents, EventPageResponse>
{
    /// <summary>A page scans at most this many events, so a narrowly scoped client still gets a prompt answer and a cursor that moves on.</summary>
    private const int ScanBudget = 5000;

    public async ValueTask<EventPageResponse> Handle(GetEvents query, CancellationToken ct)
    {
        var client = query.Caller.Client!;
        var limit = query.Limit ?? 100;
        var cursor = query.After is null ? 0 : long.Parse(query.After, CultureInfo.InvariantCulture);
        var events = new List<IntegrationEventResponse>(limit);
        var scanned = 0;
        bool hasMore;
        while (true)
        {
            var want = Math.Min(500, ScanBudget - scanned);
            if (want == 0) { hasMore = true; break; }   // scan budget spent: the cursor has moved, the client pages on
            var batch = await EventLog.ReadAsync(db, cursor, want, ct);
            foreach (var e in batch)
            {
                if (events.Count == limit) break;
                cursor = e.Position;
                scanned++;
                if (client.Sees(e.ProcedureCode, e.WardCode, e.ClientId)) events.Add(e.ToResponse());
            }
            if (events.Count == limit) { hasMore = (await EventLog.ReadAsync(db, cursor, 1, ct)).Count > 0; break; }
            if (batch.Count < want) { hasMore = false; break; }
        }
        return new(events, cursor.ToString(CultureInfo.InvariantCulture), hasMore);
    }
}
