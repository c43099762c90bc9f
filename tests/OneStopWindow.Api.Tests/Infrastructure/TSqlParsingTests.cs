using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>
/// No SQL Server runs here, so every T-SQL text the application can execute — the shared statements
/// (nested <c>Sql</c> classes), the SQL Server dialect, and the SQL Server migrations — is parsed by
/// Microsoft's own parser. A broken statement fails the build.
/// </summary>
public sealed class TSqlParsingTests
{
    private static readonly Assembly Api = typeof(Db).Assembly;

    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in Api.GetTypes().Where(t => t.Name == "Sql"))
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => (f.IsLiteral || f.IsInitOnly) && f.FieldType == typeof(string)))
            {
                // Constants, and statements built once at start-up from Domain data (the priority order's weights).
                var sql = (string)(field.IsLiteral ? field.GetRawConstantValue() : field.GetValue(null))!;
                data.Add($"{type.DeclaringType?.Name ?? type.Namespace}.{field.Name}", sql);
                // A transition's UPDATE as the engine runs it, with the status guard.
                if (sql.TrimEnd().EndsWith("WHERE id = @Id AND version = @Version", StringComparison.Ordinal) && sql.TrimStart().StartsWith("UPDATE dossier", StringComparison.Ordinal))
                    data.Add($"{type.DeclaringType?.Name ?? type.Namespace}.{field.Name} (guarded)", OneStopWindow.Api.Features.Dossiers.DossierTransitions.Guarded(sql));
            }

        data.Add("AccessLogWriter.InsertRows", OneStopWindow.Api.Infrastructure.AccessLog.AccessLogWriter.InsertRows(OneStopWindow.Api.Infrastructure.AccessLog.AccessLogWriter.RowsPerStatement));
        var dialect = new SqlServerDialect();
        data.Add("SqlServerDialect.NextDossierSequence", dialect.NextDossierSequence);
        data.Add("SqlServerDialect.Limit", dialect.Limit("SELECT code FROM admin_unit ORDER BY code"));
        data.Add("SqlServerDialect.Page", dialect.Page("SELECT code FROM admin_unit ORDER BY code"));
        data.Add("SqlServerDialect.EventsAfter", dialect.EventsAfter);
        data.Add("WorkflowPump.ClaimStatement", OneStopWindow.Api.Features.Workflow.WorkflowPump.ClaimStatement(dialect));
        return data;
    }

    public static TheoryData<string> Migrations()
    {
        var data = new TheoryData<string>();
        foreach (var name in Api.GetManifestResourceNames().Where(n => n.Contains(".Migrations.SqlServer.", StringComparison.Ordinal))) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Every_application_statement_parses_as_TSql(string name, string sql) => AssertParses(name, sql);

    [Theory]
    [MemberData(nameof(Migrations))]
    public void Every_SqlServer_migration_parses_as_TSql(string resource)
    {
        using var reader = new StreamReader(Api.GetManifestResourceStream(resource)!);
        AssertParses(resource, reader.ReadToEnd());
    }

    [Fact]
    public void Both_engines_have_the_same_numbered_migrations()
    {
        static string[] Numbers(string engine) => Api.GetManifestResourceNames()
            .Where(n => n.Contains($".Migrations.{engine}.", StringComparison.Ordinal))
            .Select(n => n[(n.IndexOf($".Migrations.{engine}.", StringComparison.Ordinal) + engine.Length + 12)..]).Order().ToArray();
        Assert.NotEmpty(Numbers("Sqlite"));
        Assert.Equal(Numbers("Sqlite"), Numbers("SqlServer"));
    }

    [Fact]
    public void The_parser_really_rejects_broken_TSql()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader("SELECT id FROM dossier WHERE\nORDER BY id"), out var errors);
        Assert.NotEmpty(errors);
    }

    private static void AssertParses(string name, string sql)
    {
        // As executed: Dapper expands a list parameter (IN @List) into (@List1, @List2, ...).
        sql = System.Text.RegularExpressions.Regex.Replace(sql, @"\bIN @(\w+)", "IN (@${1}1, @${1}2)");
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line} col {e.Column}: {e.Message}")));
    }
}
