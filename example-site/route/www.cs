using CandyPack;

namespace ExampleSite.Route;

/// <summary>Routes of the default host: one per example of the streaming guide, plus regular responses.</summary>
public sealed class Www : RouteFile
{
    protected override void Map()
    {
        // Quick start
        Route.Get("/hello", "hello");
        Route.Get("/hello/inline", candy => candy.Stream("Hello World"));
        Route.Get("/message", "index");

        // Multiple messages
        Route.Get("/callback", "callback");
        Route.Get("/cleanup", "cleanup");

        // Automatic piping
        Route.Get("/array", "array");
        Route.Get("/users", "users");
        Route.Get("/app", "app");
        Route.Get("/file", "file");

        // Advanced usage and real-world examples
        Route.Get("/monitor", "monitor");
        Route.Get("/data/fetch", "data.fetch");
        Route.Get("/logs", "logs");
        Route.Get("/posts", "posts");

        // Regular responses
        Route.Get("/about", "about");
        Route.Get("/users/{id}", "users.show");
        Route.Get("/api/status", candy => new { status = "ok", time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        Route.Post("/echo", candy => new { name = candy.Request("name"), ip = candy.Ip?.ToString() });

        // Data: candy.Mysql (the embedded SQLite file without "mysql" in config.json)
        Route.Get("/api/posts", "api.posts");
        Route.Post("/api/posts", "api.posts");
        Route.Put("/api/posts/{id}", "api.posts");
        Route.Delete("/api/posts/{id}", "api.posts");
        Route.Get("/posts/all", candy => candy.Stream(candy.Mysql.Table("posts").Select("id", "title").Order("id").Stream()));

        // Channels: the notifications demo, per-user notifications (an authorization hook decides who may listen),
        // the live dashboard, and the feeds of the guide's client-side examples.
        Route.Get("/notifications/stream", candy => candy.Stream(candy.Channel("notifications")));
        Route.Post("/notifications", "notifications");
        Route.Get("/notifications/user/{user}/stream", candy => candy.Stream(candy.Channel(UserChannels.For(candy.Request("user")!))));
        Route.Post("/notifications/user/{user}", "notifications");
        Route.Get("/dashboard/stream", "dashboard");
        Route.Get("/events", "dashboard");
        Route.Get("/auth/listen", "auth.listen");

        // The chat room of /chat.html: the stream also takes lines over a WebSocket; pages on SSE say them with POST.
        Route.Get("/chat/stream", "chat");
        Route.Post("/chat", "chat");

        // Chat presence: sign in by name (a cookie), who is online, and a subscribe token for clients without the cookie.
        Route.Post("/chat/login", "chat.login");
        Route.Get("/chat/me", candy => new { name = candy.User.Identity?.Name });
        Route.Get("/chat/presence", "chat.presence");
        Route.Get("/chat/token", "chat.token");
    }
}
