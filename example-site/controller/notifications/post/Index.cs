using System.Text.Json;
using CandyPack;

namespace ExampleSite.Controller.Notifications.Post;

/// <summary>
/// POST /notifications and POST /notifications/user/{user}: publishes the JSON body to the "notifications" channel,
/// or to one user's channel "user:{user}"; every subscriber, on every instance, gets it.
/// </summary>
public sealed class Index : IController<object?>
{
    public async Task<object?> Handle(Candy candy)
    {
        var notification = candy.Json<JsonElement>();
        if (notification.ValueKind == JsonValueKind.Undefined)
        {
            candy.Abort(400, "Send the notification as a JSON body (Content-Type: application/json).");
            return null;
        }

        // The user comes from the route only: a "user" field in the notification itself must not redirect it.
        var channel = candy.HttpContext.Request.RouteValues["user"] is string user ? UserChannels.For(user) : "notifications";
        var id = await candy.Channel(channel).Publish(notification);
        return new { id };
    }
}
