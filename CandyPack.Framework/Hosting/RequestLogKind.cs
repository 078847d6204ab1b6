namespace CandyPack.Hosting;

/// <summary>How a request log should treat a request; see <see cref="RequestLogMark"/>.</summary>
internal enum RequestLogKind
{
    /// <summary>Nothing else reported it: the request log writes its own line at its own level.</summary>
    Own,

    /// <summary>Its failure was logged once for many requests: not an error again.</summary>
    FailureReported,

    /// <summary>One summary line tells its end: no line of its own.</summary>
    Summarised,
}
