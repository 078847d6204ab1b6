using System.Text.Json;
using CandyPack;

namespace ExampleSite.Controller.Chat.Post;

/// <summary>
/// POST /chat: says a line in the chat room (<c>{"name": ..., "text": ...}</c>), how pages on Server-Sent Events
/// send; 400 saying what is wrong when a field is missing or too long.
/// </summary>
public sealed class Index : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var (line, error) = ChatRoom.Read(candy.Json<JsonElement>());
        if (line is null)
        {
            candy.Abort(400, error);
            return null;
        }

        var id = await candy.Channel(ChatRoom.Channel).Publish(line);
        return new { id };
    }
}
