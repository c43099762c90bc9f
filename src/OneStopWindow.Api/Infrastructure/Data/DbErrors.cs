using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace OneStopWindow.Api.Infrastructure.Data;

public static class DbErrors
{
    /// <summary>A unique or primary-key constraint refused the write (the last line of defence against doubles).</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException s => s.Number is 2627 or 2601,
        _ => false,
    };
}
