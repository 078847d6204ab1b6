using CandyPack.Data;

namespace CandyPack.Benchmarks.Data;

/// <summary>The benchmark's tables: 10,000 posts to query, and a table of <c>rows</c> rows to stream, built by cross joins in the database.</summary>
internal static class Fixtures
{
    public static async Task CreateAsync(SqlDatabase db, int rows)
    {
        await DropAsync(db);
        await db.Run("""
            CREATE TABLE bench_digits (d INTEGER NOT NULL);
            INSERT INTO bench_digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
            CREATE TABLE bench_posts (
              id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */,
              user_id INTEGER NOT NULL,
              title VARCHAR(200) NOT NULL,
              published TINYINT(1) NOT NULL,
              created_at DATETIME NOT NULL
            );
            CREATE INDEX bench_posts_user ON bench_posts (user_id, id);
            INSERT INTO bench_posts (user_id, title, published, created_at)
              SELECT a.d * 10 + b.d, 'A post title of ordinary length', (c.d + d.d) % 2, '2024-05-01 12:00:00'
              FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d;
            CREATE TABLE bench_stream (id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */, n INTEGER NOT NULL, payload VARCHAR(100) NOT NULL);
            """);

        // Whole millions by six cross joins of the digits, the rest by a LIMIT; no loops in SQL.
        await db.Run(
            "INSERT INTO bench_stream (n, payload) SELECT a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d + 100000 * f.d, @payload " +
            "FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d, bench_digits e, bench_digits f LIMIT @rows",
            new { payload = new string('p', 80), rows = Math.Min(rows, 1_000_000) });
        for (var done = 1_000_000; done < rows; done += 1_000_000)
        {
            await db.Run("INSERT INTO bench_stream (n, payload) SELECT n, payload FROM bench_stream WHERE id <= @more", new { more = Math.Min(1_000_000, rows - done) });
        }
    }

    public static Task DropAsync(SqlDatabase db) =>
        db.Run("DROP TABLE IF EXISTS bench_posts; DROP TABLE IF EXISTS bench_stream; DROP TABLE IF EXISTS bench_digits;");
}
