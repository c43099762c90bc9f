namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>
/// The few statements where SQL Server and SQLite really differ. Everything else is written once.
/// Every SQL Server text here is parsed by ScriptDom in the tests.
/// </summary>
public interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>Takes the next per-unit-per-day dossier sequence number (@UnitCode, @ReceiptDay) inside the caller's transaction.</summary>
    string NextDossierSequence { get; }

    /// <summary>Appends a row-limit clause to an ordered SELECT; the limit is the parameter @Limit.</summary>
    string Limit(string orderedSelect);

    /// <summary>Appends skip-and-take to an ordered SELECT: parameters @Offset and @Limit.</summary>
    string Page(string orderedSelect);

    /// <summary>
    /// Up to @Limit integration events after position @After, in an order no later reader can contradict: an event
    /// that becomes visible later never has a smaller position than one already returned (so cursors never skip).
    /// </summary>
    string EventsAfter { get; }
}

public sealed class SqliteDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    // The write transaction is BEGIN IMMEDIATE, so the upsert cannot race.
    public string NextDossierSequence => """
        INSERT INTO dossier_sequence (unit_code, receipt_day, last_value) VALUES (@UnitCode, @ReceiptDay, 1)
        ON CONFLICT (unit_code, receipt_day) DO UPDATE SET last_value = last_value + 1
        RETURNING last_value
        """;

    public string Limit(string orderedSelect) => orderedSelect + "\nLIMIT @Limit";

    public string Page(string orderedSelect) => orderedSelect + "\nLIMIT @Limit OFFSET @Offset";

    // One writer at a time: AUTOINCREMENT positions are assigned and committed in the same order.
    public string EventsAfter => """
        SELECT position, id, dossier_id, dossier_code, procedure_code, ward_code, client_id, event_type, status_after, version, occurred_at, entitlement_id,
               payment_list_id, payment_line_id
        FROM integration_event WHERE position > @After ORDER BY position LIMIT @Limit
        """;
}

public sealed class SqlServerDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.SqlServer;

    // UPDLOCK + HOLDLOCK serialise concurrent first inserts of the same (unit, day) key.
    public string NextDossierSequence => """
        MERGE dossier_sequence WITH (UPDLOCK, HOLDLOCK) AS t
        USING (SELECT @UnitCode AS unit_code, @ReceiptDay AS receipt_day) AS s
        ON t.unit_code = s.unit_code AND t.receipt_day = s.receipt_day
        WHEN MATCHED THEN UPDATE SET last_value = t.last_value + 1
        WHEN NOT MATCHED THEN INSERT (unit_code, receipt_day, last_value) VALUES (s.unit_code, s.receipt_day, 1)
        OUTPUT inserted.last_value;
        """;

    public string Limit(string orderedSelect) => orderedSelect + "\nOFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY";

    public string Page(string orderedSelect) => orderedSelect + "\nOFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY";

    // Concurrent transactions can commit identity/rowversion values out of order. Rows at or above
    // MIN_ACTIVE_ROWVERSION() may still be joined by an uncommitted smaller one, so they are held back until it commits.
    public string EventsAfter => """
        SELECT TOP (@Limit) CAST(row_version AS BIGINT) AS position, id, dossier_id, dossier_code, procedure_code, ward_code, client_id,
               event_type, status_after, version, occurred_at, entitlement_id, payment_list_id, payment_line_id
        FROM integration_event
        WHERE row_version > CAST(@After AS BINARY(8)) AND row_version < MIN_ACTIVE_ROWVERSION()
        ORDER BY row_version
        """;
}
