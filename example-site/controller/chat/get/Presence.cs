using CandyPack;

namespace ExampleSite.Controller.Chat.Get;

/// <summary>
/// GET /chat/presence: who is in the chat now, across every instance, as JSON:
/// <c>[{"userId": "ann", "connections": 2, "since": "...", "info": [{"name": "ann"}, ...]}]</c>.
/// </summary>
public sealed class Presence : IController<object?>
{
    public async Task<object?> Handle(Candy candy) => await candy.Channel(ChatRoom.Channel).Presence();
}
