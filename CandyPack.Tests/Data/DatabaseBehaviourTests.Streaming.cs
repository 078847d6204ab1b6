using CandyPack.Data;

namespace CandyPack.Tests.Data;

/// <summary>The unbuffered row stream: rows arrive one at a time and the heap holds a few rows, never all of them.</summary>
public abstract partial class DatabaseBehaviourTests
{
    private const int StreamRows = 100_000;

    /// <summary>Fills <c>big</c> with 100,000 rows of 100 characters, by a cross join of the ten digits (no SQL loops needed).</summary>
    private async Task FillBigAsync()
    {
        if (await Db.Table("big").Rows() == StreamRows)
        {
            return;
        }

        await Db.Table("big").AllRows().Delete();
        await Db.Run(
            "INSERT INTO big (payload) SELECT @payload FROM digits a, digits b, digits c, digits d, digits e",
            new { payload = new string('p', 100) });
    }

    [Test]
    public async Task Stream_100000Rows_InOrder_HoldingFarLessThanTheRows()
    {
        await FillBigAsync();
        long count = 0;
        long previous = 0;
        long peak = 0;
        var before = GC.GetTotalMemory(forceFullCollection: true);

        await foreach (var row in Db.Table("big").Select("id", "payload").Order("id").Stream())
        {
            var id = row.Get<long>("id");
            Assert.That(id, Is.GreaterThan(previous));
            previous = id;
            count++;
            if (count is 1_000 or 50_000 or StreamRows - 1_000)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        // The rows together take about 30 MB (a Row, its values and a 100-character string each): a stream that
        // buffered them before the first yield, or kept them as it went, would hold most of that at one of the samples.
        Assert.That(count, Is.EqualTo(StreamRows));
        Assert.That(peak, Is.LessThan(6 * 1024 * 1024), $"the heap held {peak / 1024} KiB more than before the query while streaming");
    }

    [Test]
    public async Task StreamT_MapsEachRow()
    {
        await FillBigAsync();
        long sum = 0;
        var rows = 0;

        await foreach (var item in Db.Table("big").Select("id", "payload").Where("id", "<=", 1000).Stream<BigRow>())
        {
            sum += item.Id;
            rows++;
            Assert.That(item.Payload, Has.Length.EqualTo(100));
        }

        Assert.That(rows, Is.EqualTo(1000));
        Assert.That(sum, Is.EqualTo(1000L * 1001 / 2));
    }

    [Test]
    public async Task Stream_StoppedEarly_ReleasesTheConnection_AndTheNextQueryRuns()
    {
        await FillBigAsync();
        using var stop = new CancellationTokenSource();
        var seen = 0;

        Assert.That(
            async () =>
            {
                await foreach (var row in Db.Table("big").Stream(stop.Token))
                {
                    if (++seen == 10)
                    {
                        await stop.CancelAsync();
                    }
                }
            },
            Throws.InstanceOf<OperationCanceledException>());
        await foreach (var row in Db.Table("big").Limit(3).Stream())
        {
            seen++;
            break;
        }

        Assert.That(seen, Is.EqualTo(11));
        Assert.That(await Db.Table("people").Rows(), Is.EqualTo(5));
    }

    /// <summary>A typed row of <c>big</c>.</summary>
    public sealed class BigRow
    {
        public long Id { get; set; }

        public string Payload { get; set; } = string.Empty;
    }
}
