using CandyPack.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack;

/// <summary>The data half of the facade: <c>candy.Mysql</c>, the site's database with this request's cancellation.</summary>
public sealed partial class Candy
{
    private SqlDatabase? _mysql;

    /// <summary>
    /// The site's database and its query builder: <c>candy.Mysql.Table("users").Where("id", 1).First()</c>. MySQL or
    /// MariaDB when config.json has a <c>mysql</c> section, otherwise the embedded SQLite file <c>.candy/data.db</c>.
    /// Every statement is cancelled with the request (<see cref="Aborted"/>).
    /// </summary>
    public SqlDatabase Mysql => _mysql ??= _site.Services.GetRequiredService<SqlDatabase>().WithCancellation(Aborted);
}
