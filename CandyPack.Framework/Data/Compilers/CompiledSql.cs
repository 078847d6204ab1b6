using System.Data;
using Dapper;

namespace CandyPack.Data.Compilers;

/// <summary>
/// A statement ready to run: SQL text whose values are all parameters <c>@p0</c>, <c>@p1</c>, … in order. It binds
/// them itself, to a command of ours or to one Dapper prepares.
/// </summary>
internal sealed record CompiledSql(string Sql, IReadOnlyList<object?> Parameters) : SqlMapper.IDynamicParameters
{
    private static readonly string[] Names = [.. Enumerable.Range(0, 64).Select(i => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The name of the parameter at <paramref name="index"/>.</summary>
    public static string Name(int index) =>
        index < Names.Length ? Names[index] : "@p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds the parameters to <paramref name="command"/>.</summary>
    public void Bind(IDbCommand command)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = Name(i);
            parameter.Value = Parameters[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    void SqlMapper.IDynamicParameters.AddParameters(IDbCommand command, SqlMapper.Identity identity) => Bind(command);
}
