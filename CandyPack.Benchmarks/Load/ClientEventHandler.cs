namespace CandyPack.Benchmarks.Load;

/// <summary>Receives one event on one <see cref="StreamClient"/>; <see cref="StreamClient.ReceivedAt"/> tells when it arrived.</summary>
internal delegate void ClientEventHandler(StreamClient client, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data);
