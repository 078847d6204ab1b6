using System.Data.Common;
using CandyPack.Data.Providers;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace CandyPack.Benchmarks.Data;

/// <summary>The baseline: the same query as the builder's, written by hand with Dapper on a pooled connection of the same database.</summary>
internal sealed class HandWritten(Func<DbConnection> connect)
{
    public const string Sql = "SELECT id, user_id AS userId, title FROM bench_posts WHERE user_id = @user AND published = @published ORDER BY id DESC LIMIT @limit";

    public static HandWritten For(DatabaseProvider provider) => provider.CreateConnection() switch
    {
        MySqlConnection mysql => new HandWritten(() => new MySqlConnection(mysql.ConnectionString)),
        SqliteConnection sqlite => new HandWritten(() => new SqliteConnection(sqlite.ConnectionString)),
        var other => throw new NotSupportedException(other.GetType().Name),
    };

    public async Task<int> QueryAsync(int user)
    {
        await using var connection = connect();
        await connection.OpenAsync();
        var rows = await connection.QueryAsync<BenchPost>(Sql, new { user, published = true, limit = 10 });
        return rows.AsList().Count;
    }
}
