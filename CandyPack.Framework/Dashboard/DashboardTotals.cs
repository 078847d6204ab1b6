namespace CandyPack.Dashboard;

/// <summary>The meter's totals at one moment, as the dashboard page reads them (it charts the differences).</summary>
internal sealed record DashboardTotals(long Time, long OpenStreams, long Messages, long SlowConsumers, long Requests, double RequestMilliseconds);
