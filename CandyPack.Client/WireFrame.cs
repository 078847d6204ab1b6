namespace CandyPack.Client;

/// <summary>One message as a transport read it: the event name, the id, and the data as text.</summary>
internal readonly record struct WireFrame(string Event, string? Id, string Text);
