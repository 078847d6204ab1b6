using System.Data.Common;

namespace CandyPack.Data.Providers;

/// <summary>Reads one non-NULL column value of the current row, converted as users expect.</summary>
internal delegate object? ColumnReader(DbDataReader reader, int ordinal);
