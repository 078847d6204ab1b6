using System.Text.Json;
using CandyPack;

namespace ExampleSite.Controller.Notifications.Post;

/// <summary>POST /notifications/user/{user}: publishes the JSON body to one user's channel, "user:{user}".</summary>
public sealed class User : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var notification = candy.Json<JsonElement>();
        if (notification.ValueKind == JsonValueKind.Undefined)
        {
            candy.Abort(400, "Send the notification as a JSON body (Content-Type: application/json).");
            return null;
        }

        var id = await candy.Channel(UserChannels.For(candy.Request("user")!)).Publish(notification);
        return new { id };
    }
}
