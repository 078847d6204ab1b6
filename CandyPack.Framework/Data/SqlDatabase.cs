namespace CandyPack.Data;

/// <summary>
/// A database of the site: <c>candy.Mysql</c> in a controller, or this type from the site's services. MySQL or
/// MariaDB when config.json has a <c>mysql</c> section, otherwise the embedded SQLite file <c>.candy/data.db</c>;
/// the same builder runs on both.
/// </summary>
/// <example>
/// <code>
/// var posts = await candy.Mysql.Table("posts").Where("user_id", 2).Order("id", "desc").Limit(10).Get();
/// var id = (await candy.Mysql.Table("posts").Insert(new { user_id = 2, title = "Hello" })).Id;
/// </code>
/// </example>
public sealed class SqlDatabase
{
    private readonly DatabaseRegistry _registry;
    private readonly ConnectionSource _source;
    private readonly CancellationToken _cancellationToken;

    internal SqlDatabase(DatabaseRegistry registry, ConnectionSource source, CancellationToken cancellationToken)
    {
        _registry = registry;
        _source = source;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The connection's name in config.json; <c>default</c> for the only one.</summary>
    public string Name => _source.Name;

    /// <summary><c>mysql</c> (MySQL or MariaDB) or <c>sqlite</c> (the embedded default).</summary>
    public string Kind => _source.Provider.Kind;

    /// <summary>Starts a query on <paramref name="name"/>: <c>users</c>, <c>shop.users</c> or <c>users AS u</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid table name.</exception>
    public Query Table(string name) => new(_source, Identifier.Table(name, nameof(name)), _cancellationToken);

    /// <summary>Another connection named in config.json (<c>"mysql": { "default": {…}, "logs": {…} }</c>).</summary>
    /// <exception cref="ArgumentException">No connection has that name.</exception>
    public SqlDatabase Database(string name) => new(_registry, _registry.Get(name), _cancellationToken);

    /// <summary>
    /// Runs SQL text of your own. Values go in <paramref name="parameters"/> and are referred to as <c>@name</c>
    /// (<c>Run("SELECT * FROM users WHERE id = @id", new { id })</c>); never put request values into
    /// <paramref name="sql"/>.
    /// </summary>
    /// <returns>The rows a query returned, and the rows a statement affected.</returns>
    public async Task<RunResult> Run(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await _source.RunAsync(sql, parameters, token);
        }
    }

    /// <summary>Runs a query of your own and maps its rows to <typeparamref name="T"/> (Dapper); values as in <see cref="Run(string, object?, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<T>> Run<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await _source.RunAsync<T>(sql, parameters, token);
        }
    }

    /// <summary>The same database with <paramref name="cancellationToken"/> passed to every statement (a request's).</summary>
    internal SqlDatabase WithCancellation(CancellationToken cancellationToken) => new(_registry, _source, cancellationToken);
}
