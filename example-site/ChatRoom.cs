using CandyPack;

namespace ExampleSite;

/// <summary>The chat room's channel and how a browser subscribes to it: with its name as presence info, and join/leave.</summary>
public static class ChatRoom
{
    /// <summary>The channel's name; <c>channels.presence</c> in config.json lists it.</summary>
    public const string Channel = "chat";

    /// <summary>Subscribes the request, its user shown by name in the room's presence and told of joins and leaves.</summary>
    public static CandyStream Subscribe(Candy candy) =>
        candy.Stream(candy.Channel(Channel), new SubscribeOptions { JoinLeave = true, Info = new { name = candy.User.Identity?.Name } });
}
