using CandyPack;

namespace ExampleSite.Controller.Chat.Get;

/// <summary>
/// GET /chat/stream: the chat room's lines, from the channel's newest ones on (a page that joins late sees them),
/// then live. Over a WebSocket the same stream also takes the sender's lines as <c>{"text": ...}</c> messages, said
/// under <c>?name=</c> from the stream URL; a line that breaks the rules comes back to its sender alone as a
/// <c>refused</c> event, and the stream stays open.
/// </summary>
public sealed class Index : IController
{
    public async Task Handle(Candy candy)
    {
        // A signed-in user (POST /chat/login) speaks under their name; others under ?name=.
        var name = candy.User.Identity is { IsAuthenticated: true, Name: { } signedIn } ? signedIn : ChatRoom.NameOf(candy);
        if (name is null)
        {
            candy.Abort(400, $"\"name\" is longer than {ChatRoom.MaxName} characters.");
            return;
        }

        var room = candy.Channel(ChatRoom.Channel);
        var stream = candy.Stream(room, new SubscribeOptions { Recent = ChatRoom.Recent, JoinLeave = true, Info = new { name } });
        if (!stream.CanReceive)
        {
            return;
        }

        // Ends when the stream closes, whoever closes it.
        await foreach (var message in stream.ReadMessagesAsync())
        {
            var (line, error) = ChatRoom.Read(message, name);
            if (line is null)
            {
                stream.Send(new { error }, "refused");
                continue;
            }

            await room.Publish(line);
        }
    }
}
