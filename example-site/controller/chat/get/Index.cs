using CandyPack;

namespace ExampleSite.Controller.Chat.Get;

/// <summary>
/// GET /chat/stream: the chat room's lines, from the channel's history on (a late joiner sees the recent ones), then
/// live. Over a WebSocket the same stream also takes the sender's lines as <c>{"text": ...}</c> messages, said
/// under <c>?name=</c> from the stream URL.
/// </summary>
public sealed class Index : IController
{
    public Task Handle(Candy candy)
    {
        var name = ChatRoom.NameOf(candy);
        if (name is null)
        {
            candy.Abort(400, $"\"name\" is longer than {ChatRoom.MaxName} characters.");
            return Task.CompletedTask;
        }

        candy.Stream(candy.Channel(ChatRoom.Channel), ChatRoom.Recent);
        return Task.CompletedTask;
    }
}
