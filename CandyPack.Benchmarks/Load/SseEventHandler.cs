namespace CandyPack.Benchmarks.Load;

/// <summary>Receives one Server-Sent Event: its type (empty for the default <c>message</c>) and its data, lines joined by LF.</summary>
internal delegate void SseEventHandler(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data);
