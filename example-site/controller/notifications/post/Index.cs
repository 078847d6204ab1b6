using System.Text.Json;
using CandyPack;

namespace ExampleSite.Controller.Notifications.Post;

/// <summary>POST /notifications: publishes the JSON body to the "notifications" channel; every subscriber gets it.</summary>
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

        var id = await candy.Channel("notifications").Publish(notification);
        return new { id };
    }
}
